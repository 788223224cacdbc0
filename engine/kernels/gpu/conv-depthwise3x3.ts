// Depthwise 3x3 convolution (group == in channels == out channels, dilation 1), any stride and
// pad, on the grid [OW, OH, N*C] (z is the input plane itself). A window row is tested against
// the input once (uniform along x: one branch for a whole SIMD vector); whether each of the three
// columns is inside is decided once per thread, and a column that is inside for every output
// (found at plan time) is not tested at all.

import { convKernelOf, windowGrid } from './conv.js';
import type { GpuKernelFactory } from './kernel.js';

export const convDepthwise3x3Kernel: GpuKernelFactory<'conv-depthwise3x3s1' | 'conv-depthwise3x3'> = ({ conv, inShapes: [[, , H, W]], outShapes: [outShape] }) => {
  const { stride: [SH, SW], pad: [PT, PL] } = conv;
  const OW = outShape[3];
  const taps = [0, 1, 2].map((kx) => {
    const tap = `v += this.constants.weight[wi + ${kx}] * x0[row + ${kx}];`;
    const alwaysInside = kx - PL >= 0 && (OW - 1) * SW - PL + kx < W;
    return alwaysInside ? { test: '', tap } : { test: `const in${kx} = ix0 + ${kx} >= 0 && ix0 + ${kx} < ${W};`, tap: `if (in${kx}) {\n        ${tap}\n      }` };
  });
  const { grid, start } = windowGrid(outShape);
  return [convKernelOf(conv, grid, `${start}
  let wi = o * 9;
  const ix0 = this.thread.x * ${SW} - ${PL};
  ${taps.map((t) => t.test).filter(Boolean).join('\n  ')}
  for (let ky = 0; ky < 3; ky++) {
    const iy = this.thread.y * ${SH} - ${PT} + ky;
    if (iy >= 0 && iy < ${H}) {
      const row = (this.thread.z * ${H} + iy) * ${W} + ix0;
      ${taps.map((t) => t.tap).join('\n      ')}
    }
    wi += 3;
  }`)];
};
