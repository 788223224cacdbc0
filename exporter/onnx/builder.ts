// The ONNX graph under construction while the engine's nodes are mapped one at a time: the
// ONNX nodes and initializers so far, fresh names for the values a mapping adds, and the
// inferred shape of every engine value.

import { ModelError, type Node, type Shape, type Tensor } from '../../engine/graph/graph.js';
import type { NodeOf, OpName } from '../../engine/graph/ops.js';
import { DataType, type AttributeProto, type NodeProto, type TensorProto } from './proto.js';

/** Writes one engine node as ONNX nodes reading `node.inputs` and producing `node.outputs`. */
export type Mapping<K extends OpName> = (b: OnnxBuilder, node: NodeOf<K>) => void;

export const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
export const ints = (name: string, values: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...values] });
export const float = (name: string, f: number): AttributeProto => ({ name, type: 1, f });

/** `name`, or `name_2`, `name_3`, … : the first not in `taken`, which it joins. */
function unique(taken: Set<string>, name: string): string {
  let result = name;
  for (let k = 2; taken.has(result); k++) result = `${name}_${k}`;
  taken.add(result);
  return result;
}

export class OnnxBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly values: Set<string>;
  private readonly nodeNames = new Set<string>();

  /** @param opset the ONNX operator set written (some mappings depend on it) */
  constructor(private readonly graphName: string, readonly opset: number, private readonly shapes: Map<string, Shape>) {
    this.values = new Set(shapes.keys());
  }

  /** The inferred shape of an engine value. */
  shape(value: string): Shape {
    const shape = this.shapes.get(value);
    if (!shape) throw new Error(`exporter: '${value}' is not an engine value`); // a bug here, not in a model
    return shape;
  }

  /** A new value name, derived from `base`. */
  fresh(base: string): string {
    return unique(this.values, base);
  }

  /** Appends an ONNX node; the first one written for an engine node carries its name. */
  add(node: Node, opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): void {
    const name = unique(this.nodeNames, this.nodeNames.has(node.name) ? `${node.name}/${opType}` : node.name);
    this.nodes.push({ name, op_type: opType, input, output, attribute });
  }

  /** A float32 initializer named after `base`; returns its name. */
  floats(base: string, shape: Shape, data: ArrayLike<number>): string {
    const bytes = new Uint8Array(4 * data.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
    return this.initializer(base, shape, DataType.FLOAT, bytes);
  }

  /** An engine weight as an initializer `<node>.<key>`, in the shape ONNX wants (its size was checked by shape inference). */
  weight(node: Node, key: string, tensor: Tensor, shape: Shape): string {
    return this.floats(`${node.name}.${key}`, shape, tensor.data);
  }

  /** A 1-D int64 initializer (a shape, split sizes); returns its name. */
  int64s(base: string, values: readonly number[]): string {
    const bytes = new Uint8Array(8 * values.length);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
    return this.initializer(base, [values.length], DataType.INT64, bytes);
  }

  /** Throws for an engine node that ONNX cannot express as it is. */
  fail(node: Node, reason: string): never {
    throw new ModelError(`${this.graphName}: layer '${node.name}' (${node.op}): cannot export to ONNX: ${reason}`);
  }

  private initializer(base: string, dims: Shape, dataType: number, raw: Uint8Array): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [...dims], data_type: dataType, raw_data: raw });
    return name;
  }
}
