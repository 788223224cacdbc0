// Direct convolution: any kernel, stride, pad, dilation and groups, with no im2col. Per image,
// band by band of output rows (conv-band.ts: the input rows they read, padding made real,
// a horizontal stride split into phases), each output row of each group is the product
//   y[g·Og + o, oy, ox] = act(bias + sum_k W[g·Og + o, k] · band[tap(k) + row(oy) + ox])
// over k = (c, ky, kx) of the group's Cg·KH·KW taps: gemm.ts with X row k at the constant
// byte offset tap(k) (a table in the constants) from the row's start, so nothing is copied
// per tap. The lowering picks it for output rows that hold whole tiles of 8 pixels (lower/conv.ts).
//
// Constants: the layer's weights, bias and prelu slopes as they are, then the tap table (i32).

import { bump, doWhile, get, i32, range, set, type Expr, type FunctionBuilder } from '../../wasm/instructions.js';
import { bandedConv, emitBand, emitBands } from './conv-band.js';
import { emitGemm } from './gemm.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';

/** Pixels per chunk of a row: the chunk's taps stay in L1 beside a block's weights. */
const CHUNK = 64;

export const convDirect: SimdKernelFactory<'conv-direct'> = (k) => {
  const { N, O, OH, OW, G, Og, K, imageBytes, constants, groupBytes, biasAt, tableAt, groupBand } = bandedConv(k);
  const { conv: { stride: [SH], activation }, band } = k;
  return {
    constants,
    emit(fn: FunctionBuilder, at) {
      const n = fn.local('i32');
      const oy = fn.local('i32');
      const xRow = fn.local('i32'); // band row of output row oy, group 0
      const yRow = fn.local('i32'); // y[n, 0, oy, 0]
      const g = fn.local('i32');
      const xg = fn.local('i32');
      const yg = fn.local('i32');
      const wg = fn.local('i32');
      const bg = fn.local('i32');
      const gemm = (x: Expr, y: Expr, w: Expr, b: Expr) => emitGemm(fn, {
        O: Og, K, P: OW, activation, weights: w, bias: b, slopes: 4 * O, x, xStride: 0, xOffsets: at.constants + tableAt,
        y, yStride: 4 * OH * OW, chunk: CHUNK,
      });
      const groups = G === 1 ? gemm(get(xRow), get(yRow), i32.const(at.constants), i32.const(at.constants + biasAt)) : [
        set(xg, get(xRow)), set(yg, get(yRow)), set(wg, i32.const(at.constants)), set(bg, i32.const(at.constants + biasAt)),
        range(g, 0, G, 1, [...gemm(get(xg), get(yg), get(wg), get(bg)),
          bump(xg, groupBand), bump(yg, 4 * Og * OH * OW), bump(wg, groupBytes), bump(bg, 4 * Og)]),
      ];
      return [range(n, 0, N, 1, emitBands(fn, OH, band.rows, (oy0) => [
        ...emitBand(fn, k, imageAt(at.inputs[0], n, imageBytes), oy0, at.scratch),
        set(oy, get(oy0)),
        set(xRow, i32.const(at.scratch)),
        set(yRow, i32.add(imageAt(at.outputs[0], n, 4 * O * OH * OW), i32.mul(get(oy0), i32.const(4 * OW)))),
        doWhile([...groups, bump(oy, 1), bump(xRow, 4 * SH * band.width), bump(yRow, 4 * OW)],
          i32.ltU(get(oy), i32.add(get(oy0), i32.const(band.rows)))),
      ]))];
    },
  };
};
