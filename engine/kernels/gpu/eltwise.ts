// Eltwise over 2+ inputs of one shape (both eltwise variants): sum (y = sum_i coeffs[i] * x_i),
// prod or max, left to right; then the fused activation, on the grid [inner, 1, planes] (a row
// per plane, c its channel).

import { sizeOf } from '../../graph/graph.js';
import { activationCode } from './activation.js';
import { kernelSource, splitZ, type GpuKernelFactory } from './kernel.js';

export const eltwiseKernel: GpuKernelFactory<'eltwise-sum2' | 'eltwise'> = (k) => {
  const { channels, inner, activation } = k;
  const grid: [number, number, number] = [inner, 1, sizeOf(k.inShapes[0]) / inner];
  const terms = k.inputs.map((_, t) => `x${t}[i]`);
  const combined = k.variant === 'eltwise-sum2' ? terms.join(' + ')
    : k.operation === 'max' ? terms.reduce((a, b) => `Math.max(${a}, ${b})`)
      : k.operation === 'prod' ? terms.join(' * ')
        : terms.map((term, t) => (k.coeffs[t] === 1 ? term : `${k.coeffs[t]} * ${term}`)).join(' + ');
  const act = activationCode(activation, 'c');
  const channel = activation.kind === 'prelu' ? `\n  ${splitZ(channels)}` : '';
  return [{
    source: kernelSource(k.inputs.length, `  const i = this.thread.z * ${grid[0]} + this.thread.x;${channel}\n  let v = ${combined};\n  ${act.code}\n  return v;`),
    output: grid,
    constants: act.constants,
  }];
};
