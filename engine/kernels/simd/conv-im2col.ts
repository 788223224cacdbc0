// General convolution with one group (any kernel, stride, pad, dilation), a band of R output rows
// at a time (the lowering sizes it: kernel-node.ts 'conv-im2col'): per image and band
//   B[k, p] = x[c, oy·SH − PT + ky·DH, ox·SW − PL + kx·DW]   (0 in padding)
//   with k = (c·KH + ky)·KW + kx, p = (oy − oy0)·OW + ox: im2col into scratch (row k at k·stride
//   floats), then y[:, band] = act(bias + W · B)             (gemm.ts, K = C·KH·KW)
// Each B row is the input plane's rows sampled at one tap: rows and columns that fall in padding
// are zero-filled; the rest is copied element by element. Bands that are whole and whose every
// row reads only inside the input run in one loop; the others (at the top and bottom edges, a
// last short band) are unrolled, their padding rows resolved at generation time.

import {
  bump, doWhile, f32, get, i32, range, set, storeLanes, type Expr, type FunctionBuilder, type Local,
} from '../../wasm/instructions.js';
import { emitGemm } from './gemm.js';
import { packGemm } from './gemm-weights.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';
import { firstRun } from './row.js';

/** The outputs [lo, hi) whose input index o·stride + shift falls inside [0, size). */
function inside(out: number, stride: number, shift: number, size: number): [number, number] {
  const lo = Math.min(out, Math.max(0, Math.ceil(-shift / stride)));
  return [lo, Math.max(lo, Math.min(out, Math.floor((size - 1 - shift) / stride) + 1))];
}

/** Statements storing `count` zeros (the vector `zero`) at base + offset: unrolled when short, else a loop. */
function zeros(fn: FunctionBuilder, zero: Local, base: Local, offset: number, count: number): Expr[] {
  const vectors = (at: Expr, from: number, n: number) => Array.from({ length: Math.ceil(n / 4) },
    (_, v) => storeLanes(at, from + 16 * v, zero, Math.min(4, n - 4 * v))).flat();
  if (count <= 32) return vectors(get(base), offset, count);
  const p = fn.local('i32');
  const whole = Math.floor(count / 4);
  return [
    set(p, i32.add(get(base), i32.const(offset))),
    doWhile([...vectors(get(p), 0, 4), bump(p, 16)], i32.ltU(get(p), i32.add(get(base), i32.const(offset + 16 * whole)))),
    ...vectors(get(p), 0, count - 4 * whole),
  ];
}

export const convIm2col: SimdKernelFactory<'conv-im2col'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, O, OH, OW] = k.outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL], dilation: [DH, DW], weight, bias, activation } = k.conv;
  const { rows: R, stride: ldb } = k.band;
  const K = C * KH * KW;
  const rowsInside = Array.from({ length: KH }, (_, ky) => inside(OH, SH, ky * DH - PT, H));
  const colsInside = Array.from({ length: KW }, (_, kx) => inside(OW, SW, kx * DW - PL, W));
  const cleanFrom = Math.max(...rowsInside.map(([lo]) => lo));
  const cleanTo = Math.min(...rowsInside.map(([, hi]) => hi));
  const bands = Math.ceil(OH / R);
  const [loopFrom, loopTo] = firstRun(Array.from({ length: bands }, (_, b) => b * R >= cleanFrom && (b + 1) * R <= cleanTo));
  return {
    constants: packGemm(O, K, activation, weight, bias),
    emit(fn, at) {
      const n = fn.local('i32');
      const c = fn.local('i32');
      const xImage = fn.local('i32');
      const yImage = fn.local('i32');
      const xBand = fn.local('i32'); // x[n, 0, oy0·SH, 0]
      const yBand = fn.local('i32'); // y[n, 0, oy0, 0]
      const xPlane = fn.local('i32'); // x[n, c, oy0·SH, 0]
      const col = fn.local('i32'); // the channel's first B row
      const rowSrc = fn.local('i32');
      const rowDst = fn.local('i32');
      const src = fn.local('i32');
      const dst = fn.local('i32');
      const zero = fn.local('v128');

      /** The B row of tap (ky, kx) for the channel at xPlane, in a band of `rows` rows whose first
       *  is `oy0` (undefined: a clean band, every row inside). */
      const tap = (ky: number, kx: number, rows: number, oy0: number | undefined): Expr[] => {
        const rowBytes = 4 * ldb * (ky * KW + kx);
        const [lo, hi] = rowsInside[ky];
        const [r0, r1] = oy0 === undefined ? [0, rows] : [Math.min(rows, Math.max(0, lo - oy0)), Math.max(0, Math.min(rows, hi - oy0))];
        const [ox0, ox1] = colsInside[kx];
        if (ox1 === ox0 || r1 <= r0) return zeros(fn, zero, col, rowBytes, rows * OW);
        return [
          ...zeros(fn, zero, col, rowBytes, r0 * OW),
          set(rowSrc, i32.add(get(xPlane), i32.const(4 * ((r0 * SH + ky * DH - PT) * W + ox0 * SW + kx * DW - PL)))),
          set(rowDst, i32.add(get(col), i32.const(rowBytes + 4 * r0 * OW))),
          doWhile([
            ...zeros(fn, zero, rowDst, 0, ox0),
            set(src, get(rowSrc)),
            set(dst, i32.add(get(rowDst), i32.const(4 * ox0))),
            doWhile([
              f32.store(get(dst), 0, f32.load(get(src), 0)),
              bump(src, 4 * SW),
              bump(dst, 4),
            ], i32.ltU(get(dst), i32.add(get(rowDst), i32.const(4 * ox1)))),
            ...zeros(fn, zero, rowDst, 4 * ox1, OW - ox1),
            bump(rowSrc, 4 * SH * W),
            bump(rowDst, 4 * OW),
          ], i32.ltU(get(rowDst), i32.add(get(col), i32.const(rowBytes + 4 * r1 * OW)))),
          ...zeros(fn, zero, col, rowBytes + 4 * r1 * OW, (rows - r1) * OW),
        ];
      };

      /** B for the band at xBand, then its rows of y at yBand. */
      const band = (rows: number, oy0: number | undefined): Expr[] => [
        set(xPlane, get(xBand)),
        set(col, i32.const(at.scratch)),
        range(c, 0, C, 1, [
          ...Array.from({ length: KH * KW }, (_, t) => tap(Math.floor(t / KW), t % KW, rows, oy0)).flat(),
          bump(xPlane, 4 * H * W),
          bump(col, 4 * KH * KW * ldb),
        ]),
        ...emitGemm(fn, {
          O, K, P: rows * OW, activation, weights: at.constants,
          x: i32.const(at.scratch), xStride: 4 * ldb, y: get(yBand), yStride: 4 * OH * OW,
        }),
      ];
      const placeBand = (b: number): Expr[] => [
        set(xBand, i32.add(get(xImage), i32.const(4 * b * R * SH * W))),
        set(yBand, i32.add(get(yImage), i32.const(4 * b * R * OW))),
      ];

      const perImage: Expr[] = [];
      for (let b = 0; b < bands; b++) {
        if (b > loopFrom && b < loopTo) continue;
        if (b !== loopFrom) {
          perImage.push(...placeBand(b), ...band(Math.min(R, OH - b * R), b * R));
          continue;
        }
        perImage.push(...placeBand(b), doWhile([...band(R, undefined), bump(xBand, 4 * R * SH * W), bump(yBand, 4 * R * OW)],
          i32.ltU(get(yBand), i32.add(get(yImage), i32.const(4 * loopTo * R * OW)))));
      }
      return [
        set(zero, fn.splat(0)),
        range(n, 0, N, 1, [
          set(xImage, imageAt(at.inputs[0], n, 4 * C * H * W)),
          set(yImage, imageAt(at.outputs[0], n, 4 * O * OH * OW)),
          ...perImage,
        ]),
      ];
    },
  };
};
