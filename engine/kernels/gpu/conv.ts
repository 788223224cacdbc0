// General 2-D convolution: groups, stride, asymmetric pad, dilation, bias, fused activation.
// On the grid [OW, OH, N*O] each thread sums its window
//   y[n,o,oy,ox] = act(bias[o] + sum_{ky, kx, ci} w[o,ci,ky,kx] * x[n, g*CG + ci, oy*SH + ky*DH - PT, ox*SW + kx*DW - PL])
// (g = o's group, CG = C / group) tap by tap: a tap in the padding is skipped, one inside runs
// over the group's channels with no further test. It runs the winograd, direct and im2col variants
// alike (a thread per output has nothing to share between neighbouring outputs).

import type { ConvParams } from '../../lower/kernel-node.js';
import { activationCode } from './activation.js';
import { kernelSource, splitZ, type GpuKernel, type GpuKernelFactory } from './kernel.js';

/** A convolution kernel on `grid` from `sum`, the code that sets the output channel `o` and
 *  leaves bias[o] plus the window's products in `v`: the activation after it, the weights, bias
 *  and slopes as constants. */
export function convKernelOf(conv: ConvParams, grid: [number, number, number], sum: string): GpuKernel {
  const act = activationCode(conv.activation, 'o');
  return {
    source: kernelSource(1, `${sum}\n  ${act.code}\n  return v;`),
    output: grid,
    constants: { weight: conv.weight, bias: conv.bias, ...act.constants },
  };
}

/** The grid [OW, OH, N*O] of the window convolutions, and their code setting n, o and v = bias[o]. */
export function windowGrid([N, O, OH, OW]: number[]): { grid: [number, number, number]; start: string } {
  return { grid: [OW, OH, N * O], start: `  ${splitZ(O, 'n', 'o')}\n  let v = this.constants.bias[o];` };
}

export const convKernel: GpuKernelFactory<'conv-winograd' | 'conv-direct' | 'conv-im2col'> = ({ conv, inShapes: [[, C, H, W]], outShapes: [outShape] }) => {
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL], dilation: [DH, DW], group } = conv;
  const O = outShape[1];
  const CG = C / group;
  const { grid, start } = windowGrid(outShape);
  return [convKernelOf(conv, grid, `${start}
  const g = Math.floor((o + 0.5) / ${O / group});
  const plane = (n * ${C} + g * ${CG}) * ${H * W};
  for (let ky = 0; ky < ${KH}; ky++) {
    const iy = this.thread.y * ${SH} - ${PT} + ky * ${DH};
    if (iy >= 0 && iy < ${H}) {
      for (let kx = 0; kx < ${KW}; kx++) {
        const ix = this.thread.x * ${SW} - ${PL} + kx * ${DW};
        if (ix >= 0 && ix < ${W}) {
          let wi = (o * ${CG} * ${KH} + ky) * ${KW} + kx;
          let xi = plane + iy * ${W} + ix;
          for (let ci = 0; ci < ${CG}; ci++) {
            v += this.constants.weight[wi] * x0[xi];
            wi += ${KH * KW};
            xi += ${H * W};
          }
        }
      }
    }
  }`)];
};
