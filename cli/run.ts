import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { compile } from '../engine/compile.js';
import { formatShape, ModelError, type Graph, type Shape } from '../engine/graph/graph.js';
import { checkFiniteOutputs } from '../engine/graph/validate.js';
import { LIMITS, type Limits } from '../engine/limits.js';
import { loadModel } from '../importer/index.js';
import { formatNpy, readNpy } from '../io/npy.js';
import { backendFor, DEVICES, type Device } from '../engine/devices.js';
import { examples } from './options.js';
import { UsageError } from './usage.js';

/** An input's .npy shape must match the declared one but for the batch and, for images, height and width. */
function checkInputShape(graph: Graph, name: string, file: string, shape: Shape): void {
  const declared = graph.inputs.find((i) => i.name === name)!.shape;
  const free = declared.length === 4 ? [0, 2, 3] : [0];
  if (shape.length !== declared.length || shape.some((d, i) => !free.includes(i) && d !== declared[i])) {
    throw new ModelError(`${file}: shape ${formatShape(shape)} does not fit input '${name}' ${formatShape(declared)}` +
      ` (only the batch${declared.length === 4 ? ', height and width' : ''} may differ)`);
  }
}

/** File names for blobs: characters outside A-Za-z0-9._- become _, and clashes get a numeric suffix. */
function fileNames(blobs: string[]): string[] {
  const used = new Set<string>();
  return blobs.map((blob) => {
    const base = blob.replace(/[^A-Za-z0-9._-]/g, '_');
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return `${name}.npy`;
  });
}

/** `--limit NAME=N`, collected into limits (engine/limits.ts). */
function addLimit(spec: string, limits: Partial<Limits>): Partial<Limits> {
  const [name, value] = spec.split('=');
  const n = Number(value);
  if (!Object.hasOwn(LIMITS, name) || !(n > 0)) {
    throw new UsageError(`--limit takes NAME=N with N > 0 and NAME one of ${Object.keys(LIMITS).join(', ')}; got '${spec}'`);
  }
  return { ...limits, [name]: n };
}

interface Flags {
  input: string[];
  out: string;
  allBlobs?: boolean;
  device: Device;
  limit: Partial<Limits>;
}

export function define(command: Command): Command {
  command
    .description('Runs any imported net on .npy tensors (float32, C order) and writes each output to DIR/<blob>.npy. The batch (and, ' +
      'for images, height and width) come from each tensor; outputs holding NaN or infinity are refused.')
    .argument('<model>', 'a .prototxt (Caffe) or .xml (OpenVINO IR) file')
    .argument('[weights]', 'its weights, when not beside it with the same stem (.caffemodel, .bin)')
    .requiredOption('--input <NAME=FILE>', 'a net input and the .npy holding it (repeat for each input)', (spec: string, list: string[]) => [...list, spec], [])
    .requiredOption('--out <DIR>', 'where the .npy files go')
    .option('--all-blobs', 'run the graph exactly as imported (no folding or fusion) and write every value, NaN or not')
    .addOption(new Option('--device <D>', 'where the net runs').choices(DEVICES).default('cpu'))
    .option('--limit <NAME=N>', `raise or lower a limit on what the files may declare (${Object.keys(LIMITS).join(', ')}; repeatable)`, addLimit, {});
  return examples(command, [
    'facereid run det1.prototxt --input data=x.npy --out out/',
    'facereid run net.xml --input data=x.npy --out out/ --all-blobs --limit arenaBytes=4e9',
  ]);
}

export async function run(model: string, weights: string | undefined, flags: Flags): Promise<number> {
  const limits = flags.limit;
  const graph = await loadModel({ model, weights, limits });

  const inputs: Record<string, Float32Array> = {};
  const shapes: Record<string, Shape> = {};
  const files: string[] = [];
  for (const spec of flags.input) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input takes NAME=file.npy, got '${spec}'`);
    const name = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    if (!graph.inputs.some((i) => i.name === name)) {
      throw new UsageError(`--input ${name}: the net has no input '${name}' (inputs: ${graph.inputs.map((i) => i.name).join(', ')})`);
    }
    const tensor = readNpy(file);
    checkInputShape(graph, name, file, tensor.shape);
    inputs[name] = tensor.data;
    shapes[name] = tensor.shape;
    files.push(`${file} (input '${name}' ${formatShape(tensor.shape)})`);
  }
  const missing = graph.inputs.filter((i) => !inputs[i.name]).map((i) => i.name);
  if (missing.length > 0) throw new UsageError(`missing --input for ${missing.join(', ')}`);

  const allBlobs = flags.allBlobs ?? false;
  const backend = await backendFor(flags.device);
  let net;
  try {
    net = compile(graph, { inputShapes: shapes, optimize: !allBlobs, keepAll: allBlobs, backend, limits });
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    throw new ModelError(`${files.join(', ')} does not fit ${model}: ${error.message}`);
  }
  const outputs = await net.runAsync(inputs);
  // Every value is written with --all-blobs, NaN or not: that is how one finds where a NaN starts.
  if (!allBlobs) checkFiniteOutputs(outputs, `${model} on ${files.join(', ')}`);
  const blobs = allBlobs ? [...net.shapes.keys()] : net.graph.outputs;
  mkdirSync(flags.out, { recursive: true });
  fileNames(blobs).forEach((file, i) => {
    writeFileSync(join(flags.out, file), formatNpy(net.shapes.get(blobs[i])!, net.value(blobs[i])));
    process.stdout.write(`${blobs[i]} ${formatShape(net.shapes.get(blobs[i])!)} -> ${join(flags.out, file)}\n`);
  });
  return 0;
}
