// Engine graph → ONNX model (one ModelProto, as bytes): each node through its mapping
// (mappings.ts), weights as float32 initializers, the graph's value names kept. The batch is
// dynamic: dim 0 of every input and output is `dim_param: "batch"`, the other dims are the
// inferred ones (fixed by the input shapes).

import { ModelError, type Graph, type Shape } from '../../engine/graph/graph.js';
import { batchShapes } from './batch.js';
import { OnnxBuilder } from './builder.js';
import { mapNode } from './mappings.js';
import { DataType, encodeModel, type ValueInfoProto } from './proto.js';

export interface OnnxExportOptions {
  /** ONNX operator set, 13 (the default) to 22. */
  opset?: number;
  /** The model's producer_name (default 'facereid'). */
  producer?: string;
  /** Whole input shapes, as for compile(); their dims after the first are fixed in the model. */
  inputShapes?: Record<string, Shape>;
}

/** The IR version released with each supported opset (onnx/onnx docs/Versioning.md). Below 13,
 *  Softmax flattened to 2-D and Split took its sizes as an attribute. */
const IR_VERSIONS: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10, 22: 10 };

export function exportOnnx(graph: Graph, options: OnnxExportOptions = {}): Uint8Array {
  const opset = options.opset ?? 13;
  const irVersion = IR_VERSIONS[opset];
  if (irVersion === undefined) {
    throw new ModelError(`${graph.name}: cannot export to ONNX opset ${opset}; supported: ${Object.keys(IR_VERSIONS).join(', ')}`);
  }
  const shapes = batchShapes(graph, options.inputShapes);
  const b = new OnnxBuilder(graph.name, opset, shapes);
  for (const node of graph.nodes) mapNode(b, node);

  const info = (name: string): ValueInfoProto => ({
    name,
    type: { tensor_type: { elem_type: DataType.FLOAT, shape: {
      dim: [{ dim_param: 'batch' }, ...shapes.get(name)!.slice(1).map((d) => ({ dim_value: d }))],
    } } },
  });
  return encodeModel({
    ir_version: irVersion,
    opset_import: [{ domain: '', version: opset }],
    producer_name: options.producer ?? 'facereid',
    graph: {
      name: graph.name,
      node: b.nodes,
      initializer: b.initializers,
      input: graph.inputs.map((input) => info(input.name)),
      output: graph.outputs.map(info),
    },
  });
}
