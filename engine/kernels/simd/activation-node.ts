// Relu, PRelu, Elu, Sigmoid and TanH as nodes of their own (an activation the passes could not
// fuse, e.g. a PReLU after an InnerProduct): the elementwise loop of eltwise.ts over one input,
// applying the activation (activation.ts).

import { sizeOf } from '../../graph/graph.js';
import type { KernelOf } from '../../lower/kernel-node.js';
import type { SimdActivation } from './activation.js';
import { elementwise } from './eltwise.js';
import type { SimdKernelFactory } from './kernel.js';

type ActivationVariant = 'relu' | 'prelu' | 'elu' | 'sigmoid' | 'tanh';

function activationOf(k: KernelOf<ActivationVariant>): SimdActivation {
  switch (k.variant) {
    case 'relu': return { kind: 'relu', negativeSlope: k.negativeSlope };
    case 'prelu': return { kind: 'prelu', slope: k.slope };
    case 'elu': return { kind: 'elu', alpha: k.alpha };
    case 'sigmoid': case 'tanh': return { kind: k.variant };
  }
}

export const activationNode: SimdKernelFactory<ActivationVariant> = (k) => {
  const shape = k.inShapes[0];
  const [channels, inner] = k.variant === 'prelu' ? [k.channels, k.inner] : [1, sizeOf(shape)];
  return elementwise({ shape, coeffs: [1], operation: 'sum', activation: activationOf(k), channels, inner });
};
