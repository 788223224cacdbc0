// Ops that move or copy data: Dropout and Split → Identity, Concat → Concat, Slice → Split
// (sizes as an input since opset 13), Flatten and Reshape → Reshape to the inferred shape with
// dim 0 written as 0 ("copy the input's"), so the batch stays dynamic.

import { int, type Mapping, type OnnxBuilder } from './builder.js';
import type { Node } from '../../engine/graph/graph.js';

export const mapDropout: Mapping<'Dropout'> = (b, node) => b.add(node, 'Identity', node.inputs, node.outputs);

/** One Identity per output. */
export const mapSplit: Mapping<'Split'> = (b, node) => {
  for (const out of node.outputs) b.add(node, 'Identity', node.inputs, [out]);
};

export const mapConcat: Mapping<'Concat'> = (b, node) =>
  b.add(node, 'Concat', node.inputs, node.outputs, [int('axis', node.attrs.axis)]);

export const mapSlice: Mapping<'Slice'> = (b, node) => {
  const { axis } = node.attrs;
  const sizes = node.outputs.map((out) => b.shape(out)[axis]);
  b.add(node, 'Split', [node.inputs[0], b.int64s(`${node.name}.split`, sizes)], node.outputs, [int('axis', axis)]);
};

/** Both merge or replace dims after the batch (export checks dim 0 stays the batch). */
function reshape(b: OnnxBuilder, node: Node): void {
  const [x, y] = [node.inputs[0], node.outputs[0]];
  b.add(node, 'Reshape', [x, b.int64s(`${node.name}.shape`, [0, ...b.shape(y).slice(1)])], [y]);
}

export const mapFlatten: Mapping<'Flatten'> = reshape;
export const mapReshape: Mapping<'Reshape'> = reshape;
