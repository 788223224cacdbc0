// Depthwise 3x3 convolution (group == in == out channels, dilation 1), horizontal stride 1
// or 2, any vertical stride and pad: each channel plane is convolved with its own 9 weights
//   y[oy, ox] = act(bias + sum_{ky,kx} w[ky, kx] · x[oy·SH − PT + ky, ox·SW − PL + kx])
// four outputs of a row at a time. A tap's four inputs are one unaligned load (stride 1) or
// the even lanes of two (stride 2). Taps in padding contribute zero: a row whose window
// leaves the input skips those kernel rows; a vector whose window leaves it at the sides
// masks those lanes (what was read there is discarded, within the GUARD); lanes past the row
// end are not stored. Rows and vectors that need neither run in loops; the rest is unrolled.
// Reads reach PL floats before a row and up to PR + 7 after it (stride 2's second load): within
// the GUARD, as the lowering gives these variants left and right pads of at most 3.
//
// Constants: per channel [w0..w8, bias, slope, 0].

import {
  bump, doWhile, get, i32, range, set, shuffleF32, storeLanes, v128, type Expr, type FunctionBuilder, type Local,
} from '../../wasm/instructions.js';
import { activate, activateRun } from './activation.js';
import type { SimdKernelFactory } from './kernel.js';
import { packedOnce, slopeOf } from './packed-once.js';
import { emitRow, firstRun } from './row.js';

const PER_CHANNEL = 12;

/** Lanes of the vector of outputs ox..ox+3 whose tap kx lies inside [0, W), as an i32 mask (-1 inside). */
function insideMask(ox: number, kx: number, SW: number, PL: number, W: number): [number, number, number, number] {
  return [0, 1, 2, 3].map((l) => {
    const ix = (ox + l) * SW - PL + kx;
    return ix >= 0 && ix < W ? -1 : 0;
  }) as [number, number, number, number];
}

export const convDepthwise3x3: SimdKernelFactory<'conv-depthwise3x3s1' | 'conv-depthwise3x3'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, , OH, OW] = k.outShapes[0];
  const { stride: [SH, SW], pad: [PT, PL], weight, bias, activation } = k.conv;
  // An ELU runs over the finished plane (in cache), eight vectors at a time, not one by one.
  const deferred = activation.kind === 'elu';
  const constants = packedOnce([weight, bias, ...slopeOf(activation), C], () => {
    const packed = new Float32Array(C * PER_CHANNEL);
    for (let c = 0; c < C; c++) {
      packed.set(weight.subarray(9 * c, 9 * c + 9), c * PER_CHANNEL);
      packed[c * PER_CHANNEL + 9] = bias[c];
      if (activation.kind === 'prelu') packed[c * PER_CHANNEL + 10] = activation.slope[c];
    }
    return packed;
  });
  // Kernel rows inside the input for output row oy.
  const validRows = (oy: number) => [0, 1, 2].filter((ky) => oy * SH - PT + ky >= 0 && oy * SH - PT + ky < H);
  // A vector is clean when all 4 lanes are outputs and every tap of every lane is inside.
  const clean = (ox: number) => ox + 4 <= OW && [0, 1, 2].every((kx) => insideMask(ox, kx, SW, PL, W).every((m) => m === -1));

  return {
    constants: [constants],
    emit(fn: FunctionBuilder, at) {
      const wc = fn.local('i32'); // this channel's constants
      const xPlane = fn.local('i32');
      const yPlane = fn.local('i32');
      const xRow = fn.local('i32'); // address of the first valid kernel row's tap at ix = -PL
      const yRow = fn.local('i32');
      const n = fn.local('i32');
      const weights = Array.from({ length: 9 }, () => fn.local('v128'));
      const b = fn.local('v128');
      const s = fn.local('v128');
      const acc = fn.local('v128');
      const loads = Array.from({ length: 4 }, () => fn.local('v128'));

      /** acc over the taps of kernel rows `rows` for the vector at ox, reading at base + (column offsets); stores at yBase + yOff. */
      const vector = (rows: number[], ox: number, base: Local, baseOx: number, yBase: Local, yOff: number): Expr[] => {
        const out: Expr[] = [set(acc, get(b))];
        const first = rows[0];
        for (const ky of rows) {
          // Byte offset from `base` of x[row first + (ky - first), column ix] where base sits at ix = baseOx·SW - PL.
          const off = (ix: number) => ((ky - first) * W + ix - (baseOx * SW - PL)) * 4;
          const taps: Expr[] = [];
          if (SW === 1) {
            for (let kx = 0; kx < 3; kx++) taps.push(v128.load(get(base), off(ox - PL + kx)));
          } else {
            const ix = 2 * ox - PL;
            out.push(set(loads[0], v128.load(get(base), off(ix))), set(loads[1], v128.load(get(base), off(ix + 4))));
            out.push(set(loads[2], v128.load(get(base), off(ix + 2))), set(loads[3], v128.load(get(base), off(ix + 6))));
            taps.push(shuffleF32(get(loads[0]), get(loads[1]), [0, 2, 4, 6]));
            taps.push(shuffleF32(get(loads[0]), get(loads[1]), [1, 3, 5, 7]));
            taps.push(shuffleF32(get(loads[2]), get(loads[3]), [0, 2, 4, 6]));
          }
          taps.forEach((tap, kx) => {
            const mask = insideMask(ox, kx, SW, PL, W);
            const masked = mask.every((m) => m === -1) ? tap : v128.and(tap, v128.i32x4(mask));
            out.push(set(acc, fn.madd(get(weights[ky * 3 + kx]), masked, get(acc))));
          });
        }
        if (!deferred) out.push(...activate(fn, activation, [acc], () => get(s)));
        return [...out, ...storeLanes(get(yBase), yOff, acc, Math.min(4, OW - ox))];
      };

      /** One output row whose window covers kernel rows `rows`, at xRow / yRow. */
      const row = (rows: number[]): Expr[] =>
        emitRow(fn, OW, clean, xRow, yRow, 4 * SW, (ox, x, y, baseOx) => vector(rows, ox, x, baseOx, y, 4 * (ox - baseOx)));

      /** Points xRow at x[oy·SH − PT + first kernel row, −PL] of this plane (when a kernel row is inside), yRow at y[oy, 0]. */
      const rowStart = (outRow: number, rows: number[]): Expr[] => [
        ...(rows.length > 0 ? [set(xRow, i32.add(get(xPlane), i32.const(4 * ((outRow * SH - PT + rows[0]) * W - PL))))] : []),
        set(yRow, i32.add(get(yPlane), i32.const(4 * outRow * OW))),
      ];

      // Rows whose window lies inside the input vertically run in one loop; the others are unrolled.
      const inside = Array.from({ length: OH }, (_, r) => validRows(r).length === 3);
      const [insideFrom, insideTo] = firstRun(inside);
      const plane: Expr[] = [
        ...weights.map((kw, t) => set(kw, v128.load32Splat(get(wc), 4 * t))),
        set(b, v128.load32Splat(get(wc), 36)),
        set(s, v128.load32Splat(get(wc), 40)),
      ];
      for (let r = 0; r < OH; r++) {
        if (r > insideFrom && r < insideTo) continue;
        if (r !== insideFrom) {
          plane.push(...rowStart(r, validRows(r)), ...row(validRows(r)));
          continue;
        }
        plane.push(...rowStart(r, [0, 1, 2]));
        const body = row([0, 1, 2]);
        if (insideTo - insideFrom === 1) plane.push(...body);
        else {
          plane.push(doWhile([...body, bump(xRow, 4 * SH * W), bump(yRow, 4 * OW)],
            i32.ltU(get(yRow), i32.add(get(yPlane), i32.const(4 * insideTo * OW)))));
        }
      }
      return [
        set(xPlane, i32.const(at.inputs[0])),
        set(yPlane, i32.const(at.outputs[0])),
        range(n, 0, N, 1, [
          range(wc, at.constants, at.constants + 4 * PER_CHANNEL * C, 4 * PER_CHANNEL, [
            ...plane,
            ...(deferred ? [set(yRow, get(yPlane)), ...activateRun(fn, activation, yRow, OH * OW)] : []),
            bump(xPlane, 4 * H * W),
            bump(yPlane, 4 * OH * OW),
          ]),
        ]),
      ];
    },
  };
};
