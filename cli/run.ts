import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../engine/compile.js';
import { formatShape, ModelError, type Graph, type Shape } from '../engine/graph/graph.js';
import { checkFiniteOutputs } from '../engine/graph/validate.js';
import { LIMITS, type Limits } from '../engine/limits.js';
import { loadModel } from '../importer/index.js';
import { formatNpy, readNpy } from '../io/npy.js';
import { deviceOption, parse, UsageError } from './usage.js';
import { backendFor } from '../engine/devices.js';

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

/** `--limit NAME=N` options as limits (engine/limits.ts). */
function limitOptions(specs: string[]): Partial<Limits> {
  const limits: Partial<Limits> = {};
  for (const spec of specs) {
    const [name, value] = spec.split('=');
    const n = Number(value);
    if (!Object.hasOwn(LIMITS, name) || !(n > 0)) {
      throw new UsageError(`--limit takes NAME=N with N > 0 and NAME one of ${Object.keys(LIMITS).join(', ')}; got '${spec}'`);
    }
    limits[name as keyof Limits] = n;
  }
  return limits;
}

/** facereid run <net.prototxt|net.xml> [weights] --input NAME=x.npy … --out DIR [--all-blobs] [--limit NAME=N …] */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    input: { type: 'string', multiple: true }, out: { type: 'string' }, 'all-blobs': { type: 'boolean' }, device: { type: 'string' },
    limit: { type: 'string', multiple: true },
  } });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('run needs a model file (.prototxt or .xml) and maybe its weights');
  if (!values.out) throw new UsageError('run needs --out DIR');
  const limits = limitOptions(values.limit ?? []);
  const model = positionals[0];
  const graph = await loadModel({ model, weights: positionals[1], limits });

  const inputs: Record<string, Float32Array> = {};
  const shapes: Record<string, Shape> = {};
  const files: string[] = [];
  for (const spec of values.input ?? []) {
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

  const allBlobs = values['all-blobs'] ?? false;
  const backend = await backendFor(deviceOption(values.device) ?? 'cpu');
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
  mkdirSync(values.out, { recursive: true });
  fileNames(blobs).forEach((file, i) => {
    writeFileSync(join(values.out!, file), formatNpy(net.shapes.get(blobs[i])!, net.value(blobs[i])));
    process.stdout.write(`${blobs[i]} ${formatShape(net.shapes.get(blobs[i])!)} -> ${join(values.out!, file)}\n`);
  });
  return 0;
}
