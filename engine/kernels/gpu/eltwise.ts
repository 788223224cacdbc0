// Eltwise over 2+ inputs of one shape: sum (y = sum_i coeffs[i] * x_i; no coeffs = all 1),
// prod or max, left to right; then the fused activation, on the grid [inner, 1, N*C] (a row per
// plane, c its channel).

import type { NodeOf } from '../../graph/ops.js';
import { activationCode } from './activation.js';
import { kernelSource, planeGrid, splitZ, type GpuKernelFactory } from './kernel.js';

export const eltwiseKernel: GpuKernelFactory<NodeOf<'Eltwise'>> = (node, inShapes) => {
  const { operation, coeffs, activation } = node.attrs;
  const grid = planeGrid(inShapes[0]);
  const channels = inShapes[0][1] ?? 1;
  const terms = inShapes.map((_, t) => `x${t}[i]`);
  const combined = operation === 'max' ? terms.reduce((a, b) => `Math.max(${a}, ${b})`)
    : operation === 'prod' ? terms.join(' * ')
      : terms.map((term, t) => (coeffs.length > 0 ? `${coeffs[t]} * ${term}` : term)).join(' + ');
  const act = activationCode(activation, node.weights.slope?.data, channels, 'c');
  const channel = activation.kind === 'prelu' ? `\n  ${splitZ(channels)}` : '';
  return [{
    source: kernelSource(inShapes.length, `  const i = this.thread.z * ${grid[0]} + this.thread.x;${channel}\n  let v = ${combined};\n  ${act.code}\n  return v;`),
    output: grid,
    constants: act.constants,
  }];
};
