// Fuses an activation (ReLU, ELU, PReLU) into the Convolution or Eltwise that produces its
// input, so it runs in that kernel's epilogue instead of as a pass over memory of its own.

import type { PassResult } from './pass.js';
import { absorbIntoProducer } from './pass.js';
import type { Activation } from '../ops.js';
import type { Graph, Node, Tensor } from '../graph.js';

function asActivation(node: Node): { activation: Activation; slope?: Tensor } | undefined {
  switch (node.op) {
    case 'Relu': return { activation: { kind: 'relu', negativeSlope: node.attrs.negativeSlope } };
    case 'Elu': return { activation: { kind: 'elu', alpha: node.attrs.alpha } };
    case 'PRelu': return { activation: { kind: 'prelu' }, slope: node.weights.slope };
    default: return undefined;
  }
}

function fuse(producer: Node, node: Node): Node | undefined {
  const act = asActivation(node);
  if (!act || (producer.op !== 'Conv' && producer.op !== 'Eltwise') || producer.attrs.activation.kind !== 'none') return undefined;
  const attrs = { ...producer.attrs, activation: act.activation };
  const weights = act.slope ? { ...producer.weights, slope: act.slope } : producer.weights;
  return { ...producer, attrs, weights } as Node;
}

export function fuseActivations(graph: Graph): PassResult {
  return absorbIntoProducer(graph, fuse, 'fused');
}
