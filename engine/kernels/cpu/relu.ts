// Relu: y = x > 0 ? x : negativeSlope * x.

import type { Activation, NodeOf } from '../../graph/ops.js';
import { applyActivation } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const reluKernel: CpuKernelFactory<NodeOf<'Relu'>> = (node) => {
  const act: Activation = { kind: 'relu', negativeSlope: node.attrs.negativeSlope };
  return ([x], [y]) => {
    y.set(x);
    applyActivation(act, undefined, 0, y, 0, y.length);
  };
};
