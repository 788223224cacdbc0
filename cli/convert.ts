import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { optimize } from '../engine/graph/passes/index.js';
import { exportOnnx } from '../exporter/onnx/index.js';
import { loadModel } from '../importer/index.js';
import { examples, MODEL_ARGUMENT, numberIn } from './options.js';

interface Flags {
  out: string;
  opset: number;
  asImported?: boolean;
  weights?: string;
  models?: string;
}

/**
 * facereid convert [model] --to onnx --out model.onnx: the optimised graph (folded BatchNorms,
 * fused activations) as ONNX with a dynamic batch; --as-imported exports every layer as read.
 */
export function define(command: Command): Command {
  command
    .description('Exports a model as ONNX (opset 13 or later, dynamic batch): the optimised graph (BatchNorms folded, activations fused), or with --as-imported every layer as imported.')
    .argument(...MODEL_ARGUMENT)
    .addOption(new Option('--to <FORMAT>', 'the format to write').choices(['onnx']).makeOptionMandatory())
    .requiredOption('--out <FILE>', 'the file to write')
    .option('--opset <N>', 'the ONNX opset', numberIn(13, 22, true), 13)
    .option('--as-imported', 'export the graph as imported, without the passes')
    .option('--weights <FILE>', "the model file's weights, when they are not beside it with the same stem")
    .option('--models <DIR>', "folder of model folders, searched first (then $FACEREID_MODELS, then the package's own models/)");
  return examples(command, ['facereid convert --to onnx --out rmnet.onnx', 'facereid convert det1.prototxt --to onnx --out det1.onnx --as-imported']);
}

export async function run(model: string, flags: Flags): Promise<number> {
  const imported = await loadModel({ model, weights: flags.weights, models: flags.models });
  const graph = flags.asImported ? imported : optimize(imported).graph;
  const bytes = exportOnnx(graph, { opset: flags.opset });
  writeFileSync(flags.out, bytes);
  process.stdout.write(`${flags.out}: ONNX opset ${flags.opset}, ${graph.nodes.length} layers, ${bytes.length} bytes\n`);
  return 0;
}
