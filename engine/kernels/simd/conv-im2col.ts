// General convolution with one group (any kernel, stride, pad, dilation), per image as
//   col[k, p] = x[c, oy·SH − PT + ky·DH, ox·SW − PL + kx·DW]   (0 in padding)
//   with k = (c·KH + ky)·KW + kx, p = oy·OW + ox: im2col into scratch, then
//   y = act(bias + W · col)                                    (gemm.ts, K = C·KH·KW)
// Each col row is the input plane's rows sampled at one tap: rows and columns that fall in
// padding are zero-filled; the rest is copied element by element.

import type { NodeOf } from '../../graph/ops.js';
import { bump, doWhile, f32, get, i32, range, set, storeLanes, type Expr, type Local } from '../../wasm/instructions.js';
import { emitGemm } from './gemm.js';
import { PANEL_BYTES, usePanel } from './gemm-panel.js';
import { packGemm } from './gemm-weights.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';

/** The outputs [lo, hi) whose input index o·stride + shift falls inside [0, size). */
function inside(out: number, stride: number, shift: number, size: number): [number, number] {
  const lo = Math.min(out, Math.max(0, Math.ceil(-shift / stride)));
  return [lo, Math.max(lo, Math.min(out, Math.floor((size - 1 - shift) / stride) + 1))];
}

export const convIm2col: SimdKernelFactory<NodeOf<'Conv'>> = (node, inShapes, outShapes) => {
  const [N, C, H, W] = inShapes[0];
  const [, O, OH, OW] = outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL], dilation: [DH, DW], group, activation } = node.attrs;
  if (group !== 1) return undefined;
  const { weight, bias, slope } = node.weights;
  const K = C * KH * KW;
  const P = OH * OW;
  const panel = usePanel(K, 4 * P);
  return {
    constants: packGemm(O, K, activation, weight.data, bias?.data, slope?.data),
    scratchBytes: 4 * K * P + (panel ? PANEL_BYTES : 0),
    emit(fn, at) {
      const n = fn.local('i32');
      const c = fn.local('i32');
      const xPlane = fn.local('i32');
      const col = fn.local('i32'); // the channel's first col row
      const rowSrc = fn.local('i32');
      const rowDst = fn.local('i32');
      const src = fn.local('i32');
      const dst = fn.local('i32');
      const zero = fn.local('v128');

      /** `count` zeros at base + offset. */
      const zeros = (base: Local, offset: number, count: number): Expr[] =>
        Array.from({ length: Math.ceil(count / 4) }, (_, v) => storeLanes(get(base), offset + 16 * v, zero, Math.min(4, count - 4 * v))).flat();

      /** The col row of tap (ky, kx) for the channel at xPlane, at col + its offset. */
      const tap = (ky: number, kx: number): Expr[] => {
        const rowBytes = 4 * P * (ky * KW + kx);
        const [oy0, oy1] = inside(OH, SH, ky * DH - PT, H);
        const [ox0, ox1] = inside(OW, SW, kx * DW - PL, W);
        const out: Expr[] = [];
        const blank = (from: number, to: number) => {
          for (let oy = from; oy < to; oy++) out.push(...zeros(col, rowBytes + 4 * oy * OW, OW));
        };
        if (ox1 === ox0) {
          blank(0, OH);
          return out;
        }
        blank(0, oy0);
        if (oy1 > oy0) {
          out.push(
            set(rowSrc, i32.add(get(xPlane), i32.const(4 * ((oy0 * SH + ky * DH - PT) * W + ox0 * SW + kx * DW - PL)))),
            set(rowDst, i32.add(get(col), i32.const(rowBytes + 4 * oy0 * OW))),
            doWhile([
              ...zeros(rowDst, 0, ox0),
              set(src, get(rowSrc)),
              set(dst, i32.add(get(rowDst), i32.const(4 * ox0))),
              doWhile([
                f32.store(get(dst), 0, f32.load(get(src), 0)),
                bump(src, 4 * SW),
                bump(dst, 4),
              ], i32.ltU(get(dst), i32.add(get(rowDst), i32.const(4 * ox1)))),
              ...zeros(rowDst, 4 * ox1, OW - ox1),
              bump(rowSrc, 4 * SH * W),
              bump(rowDst, 4 * OW),
            ], i32.ltU(get(rowDst), i32.add(get(col), i32.const(rowBytes + 4 * oy1 * OW)))),
          );
        }
        blank(Math.max(oy0, oy1), OH);
        return out;
      };

      const taps = Array.from({ length: KH * KW }, (_, t) => tap(Math.floor(t / KW), t % KW)).flat();
      return [
        set(zero, fn.splat(0)),
        set(xPlane, i32.const(at.inputs[0])),
        range(n, 0, N, 1, [
          set(col, i32.const(at.scratch)),
          range(c, 0, C, 1, [...taps, bump(xPlane, 4 * H * W), bump(col, 4 * KH * KW * P)]),
          ...emitGemm(fn, {
            O, K, P, activation, weights: at.constants,
            x: i32.const(at.scratch), xStride: 4 * P,
            y: imageAt(at.outputs[0], n, 4 * O * P),
            panel: panel ? at.scratch + 4 * K * P : undefined,
          }),
        ]),
      ];
    },
  };
};
