// Max and average pooling over NCHW with Caffe's semantics (every pooling variant), on the grid
// [OW, OH, N*C]. Window
// (oy, ox) spans rows [hs, he) with hs = oy*SH - PT and he = min(hs + KH, H + PB), likewise
// columns. Average divides the sum by that padded window's area (Caffe), or by its part inside
// the input when excludePad; max takes the window's part inside the input. Pads are smaller than
// the window and the last window starts inside the input (ops.ts), so no window lies wholly in
// padding.

import { kernelSource, type GpuKernelFactory } from './kernel.js';

export const poolKernel: GpuKernelFactory<'pool-max' | 'pool-ave'> = (k) => {
  const [[, , H, W]] = k.inShapes;
  const [[N, C, OH, OW]] = k.outShapes;
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL, PB, PR], excludePad } = k.pool;
  const method = k.variant === 'pool-ave' ? 'ave' : 'max';
  const read = `x0[plane + iy * ${W} + ix]`;
  const counted = method === 'ave' && excludePad;
  const [init, accumulate, result] = method === 'max' ? ['-3.4e38', `v = Math.max(v, ${read});`, 'v']
    : ['0', `v += ${read};${counted ? '\n          count += 1;' : ''}`,
      `v / ${counted ? 'count' : `((Math.min(hs + ${KH}, ${H + PB}) - hs) * (Math.min(ws + ${KW}, ${W + PR}) - ws))`}`];
  return [{
    source: kernelSource(1, `
  const hs = this.thread.y * ${SH} - ${PT};
  const ws = this.thread.x * ${SW} - ${PL};
  const plane = this.thread.z * ${H * W};
  let v = ${init};${counted ? '\n  let count = 0;' : ''}
  for (let ky = 0; ky < ${KH}; ky++) {
    const iy = hs + ky;
    if (iy >= 0 && iy < ${H}) {
      for (let kx = 0; kx < ${KW}; kx++) {
        const ix = ws + kx;
        if (ix >= 0 && ix < ${W}) {
          ${accumulate}
        }
      }
    }
  }
  return ${result};`),
    output: [OW, OH, N * C],
    constants: {},
  }];
};
