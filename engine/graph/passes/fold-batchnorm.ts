// BatchNorm at inference is a per-channel affine map, so it becomes a Scale:
//   (x - mean) / sqrt(var + eps) = x * a + b   with a = 1 / sqrt(var + eps), b = -mean * a.
// Later passes merge it with a following Scale and fold it into a preceding convolution.

import type { PassResult } from './pass.js';
import type { Graph, Node } from '../graph.js';
import type { NodeOf } from '../ops.js';

/** The Scale node computing a BatchNorm node (also how backends run a BatchNorm left unfolded). */
export function batchNormAsScale(node: NodeOf<'BatchNorm'>): NodeOf<'Scale'> {
  const { mean, variance } = node.weights;
  const scale = new Float32Array(mean.data.length);
  const bias = new Float32Array(mean.data.length);
  for (let c = 0; c < scale.length; c++) {
    const a = 1 / Math.sqrt(variance.data[c] + node.attrs.eps);
    scale[c] = a;
    bias[c] = -mean.data[c] * a;
  }
  return { name: node.name, inputs: node.inputs, outputs: node.outputs, op: 'Scale', attrs: { axis: 1 },
    weights: { scale: { shape: [scale.length], data: scale }, bias: { shape: [bias.length], data: bias } } };
}

export function batchNormToScale(graph: Graph): PassResult {
  const changes: string[] = [];
  const nodes = graph.nodes.map((node): Node => {
    if (node.op !== 'BatchNorm') return node;
    changes.push(`BatchNorm '${node.name}' -> per-channel Scale`);
    return batchNormAsScale(node);
  });
  return { graph: { ...graph, nodes }, changes };
}
