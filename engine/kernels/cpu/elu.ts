// Elu: y = x > 0 ? x : alpha * (exp(x) - 1).

import type { Activation, NodeOf } from '../../graph/ops.js';
import { applyActivation } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const eluKernel: CpuKernelFactory<NodeOf<'Elu'>> = (node) => {
  const act: Activation = { kind: 'elu', alpha: node.attrs.alpha };
  return ([x], [y]) => {
    y.set(x);
    applyActivation(act, undefined, 0, y, 0, y.length);
  };
};
