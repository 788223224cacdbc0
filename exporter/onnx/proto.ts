// ONNX's message types (our subset of onnx.proto, parsed once on first use), the plain objects
// the exporter builds them from, and the one encoder that turns a model into bytes.

import protobuf from 'protobufjs';
import { ONNX_PROTO } from './onnx-proto.js';

/** onnx.TensorProto.DataType values we write. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

export interface AttributeProto {
  name: string;
  /** onnx.AttributeProto.AttributeType: FLOAT 1, INT 2, INTS 7. */
  type: 1 | 2 | 7;
  f?: number;
  i?: number;
  ints?: number[];
}

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

export interface NodeProto {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}

/** A dim is a size, or a name for a size only known at run time. */
export type Dimension = { dim_value: number } | { dim_param: string };

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: Dimension[] } } };
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}

export interface ModelProto {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  graph: GraphProto;
}

let root: protobuf.Root | undefined;

/** The model in ONNX's wire format. */
export function encodeModel(model: ModelProto): Uint8Array {
  root ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
  const type = root.lookupType('onnx.ModelProto');
  return type.encode(type.fromObject(model)).finish();
}
