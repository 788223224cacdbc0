// The exporter's table: one mapping per engine op (TypeScript rejects the table if an op is
// missing). Each writes ONNX nodes from the engine node's inputs to its outputs, or throws a
// ModelError naming the node when ONNX cannot express its attributes.

import type { Node } from '../../engine/graph/graph.js';
import type { OpName } from '../../engine/graph/ops.js';
import { mapElu, mapPRelu, mapRelu, mapSigmoid, mapSoftmax, mapTanH } from './activation.js';
import { mapBatchNorm, mapClamp, mapEltwise, mapPower, mapScale } from './arithmetic.js';
import type { Mapping, OnnxBuilder } from './builder.js';
import { mapConcat, mapDropout, mapFlatten, mapReshape, mapSlice, mapSplit } from './layout.js';
import { mapConv, mapInnerProduct } from './linear.js';
import { mapPool } from './pool.js';

const MAPPINGS: { [K in OpName]: Mapping<K> } = {
  Conv: mapConv,
  BatchNorm: mapBatchNorm,
  Scale: mapScale,
  Relu: mapRelu,
  PRelu: mapPRelu,
  Elu: mapElu,
  Sigmoid: mapSigmoid,
  TanH: mapTanH,
  Power: mapPower,
  Clamp: mapClamp,
  Dropout: mapDropout,
  Split: mapSplit,
  Eltwise: mapEltwise,
  Pool: mapPool,
  InnerProduct: mapInnerProduct,
  Softmax: mapSoftmax,
  Concat: mapConcat,
  Slice: mapSlice,
  Flatten: mapFlatten,
  Reshape: mapReshape,
};

export function mapNode(b: OnnxBuilder, node: Node): void {
  (MAPPINGS[node.op] as Mapping<OpName>)(b, node);
}
