// General convolution through im2col: any kernel, stride, pad, dilation and groups. Per image,
// band by band of R output rows (conv-band.ts: the input rows they read, padding made real, a
// horizontal stride split into phases), per group:
//   col[k, r·OW + ox] = band[tap(k) + row(r) + ox]      k = (c, ky, kx) < Cg·KH·KW, r < R
//   y[g·Og + o, oy0 + r, ox] = act(bias + sum_k W[g·Og + o, k] · col[k, r·OW + ox])
// (gemm.ts over the band's R·OW pixels). Each col row is R runs of OW consecutive floats,
// copied four at a time. The lowering picks it for short output rows (lower/conv.ts): the
// product's tiles run across the band's rows, where a direct convolution (conv-direct.ts) would
// leave most of a row's last tile empty. The band and col (after it in scratch: lower/kernel-node.ts
// ColLayout) stay within the lowering's budget, never the whole image.
//
// Constants: the layer's weights, bias and prelu slopes as they are, then the tap table (i32).

import { bump, doWhile, get, i32, range, set, storeLanes, v128, type Expr, type FunctionBuilder } from '../../wasm/instructions.js';
import { bandedConv, emitBand, emitBands } from './conv-band.js';
import { emitGemm } from './gemm.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';

export const convIm2col: SimdKernelFactory<'conv-im2col'> = (k) => {
  const { N, O, OH, OW, G, Og, K, imageBytes, constants, groupBytes, biasAt, tableAt, groupBand } = bandedConv(k);
  const { conv: { stride: [SH], activation }, band } = k;
  const P = band.rows * OW;
  const colStride = 4 * k.col.stride;

  return {
    constants,
    emit(fn: FunctionBuilder, at) {
      const col = at.scratch + 4 * band.floats;
      const table = at.constants + tableAt;
      const n = fn.local('i32');
      const tap = fn.local('i32');
      const src = fn.local('i32');
      const dst = fn.local('i32');
      const s = fn.local('i32');
      const d = fn.local('i32');
      const r = fn.local('i32');
      const v = fn.local('v128');
      const g = fn.local('i32');
      const xg = fn.local('i32'); // the group's first channel in the band
      const yg = fn.local('i32'); // y[n, g·Og, oy0, 0]
      const wg = fn.local('i32');
      const bg = fn.local('i32');

      /** OW floats from s to d, four at a time. */
      const run = (): Expr[] => {
        const vectors = Math.floor(OW / 4);
        const rest = OW - 4 * vectors;
        const step = (offset: number, lanes: number) => [set(v, v128.load(get(s), offset)), ...storeLanes(get(d), offset, v, lanes)];
        if (vectors <= 4) return [...Array.from({ length: vectors }, (_, u) => step(16 * u, 4)).flat(), ...(rest > 0 ? step(16 * vectors, rest) : [])];
        return [doWhile([...step(0, 4), bump(s, 16), bump(d, 16)], i32.ltU(get(d), i32.add(get(dst), i32.const(16 * vectors)))), ...(rest > 0 ? step(0, rest) : [])];
      };

      /** col for the group whose channels start at xg in the band. */
      const im2col: Expr[] = [
        set(tap, i32.const(table)),
        set(dst, i32.const(col)),
        doWhile([
          set(src, i32.add(get(xg), i32.load(get(tap), 0))),
          range(r, 0, band.rows, 1, [
            set(s, get(src)), set(d, get(dst)), ...run(),
            bump(src, 4 * SH * band.width), bump(dst, 4 * OW),
          ]),
          bump(tap, 4),
          set(dst, i32.add(get(dst), i32.const(colStride - 4 * P))),
        ], i32.ltU(get(tap), i32.const(table + 4 * K))),
      ];

      const group: Expr[] = [
        ...im2col,
        ...emitGemm(fn, {
          O: Og, K, P, activation, weights: get(wg), bias: get(bg), slopes: 4 * O, x: i32.const(col), xStride: colStride,
          y: get(yg), yStride: 4 * OH * OW,
        }),
      ];
      return [range(n, 0, N, 1, emitBands(fn, OH, band.rows, (oy0) => [
        ...emitBand(fn, k, imageAt(at.inputs[0], n, imageBytes), oy0, at.scratch),
        set(xg, i32.const(at.scratch)),
        set(yg, i32.add(imageAt(at.outputs[0], n, 4 * O * OH * OW), i32.mul(get(oy0), i32.const(4 * OW)))),
        set(wg, i32.const(at.constants)),
        set(bg, i32.const(at.constants + biasAt)),
        range(g, 0, G, 1, [...group, bump(xg, groupBand), bump(yg, 4 * Og * OH * OW), bump(wg, groupBytes), bump(bg, 4 * Og)]),
      ]))];
    },
  };
};
