import { writeFileSync } from 'node:fs';
import { optimize } from '../engine/graph/passes/index.js';
import { exportOnnx } from '../exporter/onnx/index.js';
import { loadModel } from '../importer/index.js';
import { RMNET } from '../rmnet/models.js';
import { MODEL_OPTIONS, numberOption, parse, UsageError } from './usage.js';

/**
 * facereid convert <model> --to onnx --out model.onnx [--opset N] [--as-imported]:
 * the optimised graph (folded BatchNorms, fused activations) as ONNX with a dynamic batch;
 * --as-imported exports every layer as the importer read it.
 */
export async function convert(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    ...MODEL_OPTIONS, to: { type: 'string' }, out: { type: 'string' }, opset: { type: 'string' }, 'as-imported': { type: 'boolean' },
  } });
  if (positionals.length > 1) throw new UsageError('convert takes one model');
  if (values.to !== 'onnx') throw new UsageError(`convert needs --to onnx${values.to ? ` (got '${values.to}')` : ''}`);
  if (!values.out) throw new UsageError('convert needs --out FILE.onnx');
  const imported = await loadModel({ ...values, model: positionals[0] ?? values.model ?? RMNET });
  const graph = values['as-imported'] ? imported : optimize(imported).graph;
  const bytes = exportOnnx(graph, { opset: numberOption(values.opset, 'opset', 13) });
  writeFileSync(values.out, bytes);
  process.stdout.write(`${values.out}: ONNX opset ${values.opset ?? 13}, ${graph.nodes.length} layers, ${bytes.length} bytes\n`);
  return 0;
}
