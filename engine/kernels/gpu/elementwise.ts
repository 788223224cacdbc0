// The shape shared by the one-input elementwise kernels (Relu, PRelu, Elu, Sigmoid, TanH, Power,
// Clamp, Scale, the copies): a value seen as rows of X elements, on the grid [X, 1, rows]; v
// starts as the input element, `code` updates it, v is the output element. With `channels`, row
// z is channel c = z mod channels (of image n = floor(z / channels)).

import { kernelSource, splitZ, type GpuKernel } from './kernel.js';

export function elementwiseKernel(grid: [number, number, number], code: string,
  options: { channels?: number; constants?: Record<string, Float32Array> } = {}): GpuKernel {
  const channel = options.channels === undefined ? '' : `\n  ${splitZ(options.channels)}`;
  return {
    source: kernelSource(1, `  let v = x0[this.thread.z * ${grid[0]} + this.thread.x];${channel}\n  ${code}\n  return v;`),
    output: grid,
    constants: options.constants ?? {},
  };
}
