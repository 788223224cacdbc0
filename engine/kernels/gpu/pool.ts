// Max and average pooling over NCHW with Caffe's semantics, on the grid [OW, OH, N*C]. Window
// (oy, ox) spans rows [hs, he) with hs = oy*SH - PT and he = min(hs + KH, H + PB), likewise
// columns. Average divides the sum by that padded window's area (Caffe), or by its part inside
// the input when excludePad; max takes the window's part inside the input. Pads are smaller than
// the window and the last window starts inside the input (ops.ts), so no window lies wholly in
// padding. Global pooling is one window over the whole plane.

import type { NodeOf } from '../../graph/ops.js';
import { kernelSource, type GpuKernelFactory } from './kernel.js';

export const poolKernel: GpuKernelFactory<NodeOf<'Pool'>> = (node, [[, , H, W]], [[N, C, OH, OW]]) => {
  const { method, excludePad, global } = node.attrs;
  const [KH, KW] = global ? [H, W] : node.attrs.kernel;
  const [SH, SW] = global ? [1, 1] : node.attrs.stride;
  const [PT, PL, PB, PR] = global ? [0, 0, 0, 0] : node.attrs.pad;
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
