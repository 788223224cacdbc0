// A 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) (lower/winograd.ts has the formulas): per
// image and band of output rows (conv-band.ts copies the band, padding made real),
//   1. V[ξ][c][t] = (B^T d B)[ξ] for every channel c and tile t, four tiles a vector: a band
//      row's columns 2t, 2t + 1, 2t + 2, 2t + 3 of four neighbouring tiles are the even and odd
//      lanes of two pairs of loads;
//   2. M[ξ] = U[ξ] · V[ξ], sixteen matrix products (gemm.ts, no activation, no bias);
//   3. each output channel o, four tiles a vector: act(bias[o] + A^T M[·][o][t] A), the tiles'
//      two columns interleaved back into consecutive pixels.
// V and M follow the band in scratch (lower/kernel-node.ts WinogradTiles).
//
// Constants: U as the lowering made it ([16, O, C]: U[ξ] is gemm.ts's W); the bias; the prelu slopes.

import type { KernelActivation } from '../../lower/kernel-node.js';
import {
  bump, doWhile, f32x4, get, i32, ifElse, range, set, shuffleF32, storeLanes, v128, type Expr, type FunctionBuilder, type Local,
} from '../../wasm/instructions.js';
import { activate } from './activation.js';
import { emitBand, emitBands } from './conv-band.js';
import { emitGemm } from './gemm.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';
import { slopeOf } from './packed-once.js';

const NONE: KernelActivation = { kind: 'none' };
const EVEN: [number, number, number, number] = [0, 2, 4, 6];
const ODD: [number, number, number, number] = [1, 3, 5, 7];

/**
 * Statements running `group(lanes, pixels)` over the `across` tiles of a tile row four at a time
 * (8 output pixels), the last group with the tiles and pixels left (`width` pixels in the row);
 * `group` works through locals that start at `starts` and advance `steps` bytes per group.
 */
function groupsAlong(across: number, width: number, starts: [Local, Expr][], steps: number[],
  group: (lanes: number, pixels: number) => Expr[]): Expr[] {
  const inner = Math.ceil(across / 4) - 1;
  const [[first, start]] = starts;
  return [
    ...starts.map(([l, e]) => set(l, e)),
    ...(inner > 0 ? [doWhile([...group(4, 8), ...starts.map(([l], i) => bump(l, steps[i]))],
      i32.ltU(get(first), i32.add(start, i32.const(steps[0] * inner))))] : []),
    ...group(across - 4 * inner, width - 8 * inner),
  ];
}

export const convWinograd: SimdKernelFactory<'conv-winograd'> = (k) => {
  const [[N, C, H, W]] = k.inShapes;
  const [[, O, OH, OW]] = k.outShapes;
  const { band, tiles: { across, tileRows, tiles, stride }, conv: { activation, bias }, transformed } = k;
  const productBytes = 4 * O * C; // one U[ξ]
  const rowBytes = 4 * stride; // from one row of V or M to the next
  const R = band.rows;

  return {
    constants: [transformed, bias, ...slopeOf(activation)],
    emit(fn: FunctionBuilder, at) {
      const V = at.scratch + 4 * band.floats;
      const M = V + 16 * C * rowBytes;
      const biasAt = at.constants + 4 * transformed.length;
      const n = fn.local('i32');
      const c = fn.local('i32');
      const o = fn.local('i32');
      const ty = fn.local('i32');
      const channelFrom = fn.local('i32'); // the channel's first read: in the band (1), in M (3)
      const channelTo = fn.local('i32'); // the channel's first write in V (1)
      const rowFrom = fn.local('i32'); // the tile row's first read
      const rowTo = fn.local('i32'); // the tile row's first write
      const from = fn.local('i32'); // the group's reads (and V's in 2)
      const to = fn.local('i32'); // the group's writes (and M's in 2)
      const w = fn.local('i32'); // U[ξ] in 2
      const yOut = fn.local('i32'); // y[n, o, oy0, 0] in 3
      const param = fn.local('i32'); // bias[o]
      const oy = fn.local('i32'); // the tile row's first output row, in 3
      const second = fn.local('i32'); // whether its second row is inside the output
      const v = fn.local('v128');
      const d = Array.from({ length: 4 }, () => fn.local('v128'));
      const h = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => fn.local('v128')));
      const t = Array.from({ length: 4 }, () => Array.from({ length: 2 }, () => fn.local('v128')));
      const y = Array.from({ length: 2 }, () => Array.from({ length: 2 }, () => fn.local('v128')));
      const biasV = fn.local('v128');
      const slopeV = fn.local('v128');
      const { add, sub } = f32x4;

      /** Four tiles' V from the band at `from` into V at `to`: the first `lanes` stored. */
      const inputGroup = (lanes: number): Expr[] => [
        ...h.flatMap((hi, i) => {
          const row = 4 * i * band.width;
          const load = (offset: number) => v128.load(get(from), row + offset);
          return [
            set(d[0], shuffleF32(load(0), load(16), EVEN)), set(d[1], shuffleF32(load(0), load(16), ODD)),
            set(d[2], shuffleF32(load(8), load(24), EVEN)), set(d[3], shuffleF32(load(8), load(24), ODD)),
            set(hi[0], sub(get(d[0]), get(d[2]))), set(hi[1], add(get(d[1]), get(d[2]))),
            set(hi[2], sub(get(d[2]), get(d[1]))), set(hi[3], sub(get(d[1]), get(d[3]))),
          ];
        }),
        ...[0, 1, 2, 3].flatMap((j) => [
          sub(get(h[0][j]), get(h[2][j])), add(get(h[1][j]), get(h[2][j])),
          sub(get(h[2][j]), get(h[1][j])), sub(get(h[1][j]), get(h[3][j])),
        ].flatMap((value, a) => [set(v, value), ...storeLanes(get(to), (4 * a + j) * C * rowBytes, v, lanes)])),
      ];

      /** Four tiles of channel o from M at `from` into y at `to`: the first `pixels` of each row, the second row when `second` is set. */
      const outputGroup = (pixels: number): Expr[] => {
        const m = (xi: number) => v128.load(get(from), xi * O * rowBytes);
        const store = (r: number): Expr[] => [
          set(v, shuffleF32(get(y[r][0]), get(y[r][1]), [0, 4, 1, 5])),
          ...storeLanes(get(to), 4 * r * OW, v, Math.min(4, pixels)),
          ...(pixels > 4 ? [set(v, shuffleF32(get(y[r][0]), get(y[r][1]), [2, 6, 3, 7])), ...storeLanes(get(to), 4 * r * OW + 16, v, pixels - 4)] : []),
        ];
        return [
          ...t.flatMap((ta, a) => [
            set(ta[0], add(add(m(4 * a), m(4 * a + 1)), m(4 * a + 2))),
            set(ta[1], sub(sub(m(4 * a + 1), m(4 * a + 2)), m(4 * a + 3))),
          ]),
          ...[0, 1].flatMap((b) => [
            set(y[0][b], add(add(add(get(t[0][b]), get(t[1][b])), get(t[2][b])), get(biasV))),
            set(y[1][b], add(sub(sub(get(t[1][b]), get(t[2][b])), get(t[3][b])), get(biasV))),
          ]),
          ...activate(fn, activation, y.flat(), () => get(slopeV)),
          ...store(0),
          ifElse(get(second), store(1), []),
        ];
      };

      /** One tile row of channel o, from M at rowFrom to y at rowTo (output row oy). */
      const outputRow: Expr[] = [
        set(second, i32.ltU(i32.add(get(oy), i32.const(1)), i32.const(OH))),
        ...groupsAlong(across, OW, [[from, get(rowFrom)], [to, get(rowTo)]], [16, 32], (_, pixels) => outputGroup(pixels)),
        bump(rowFrom, 4 * across),
        bump(rowTo, 8 * OW),
        bump(oy, 2),
      ];

      // Bands start on even rows, so that an output's place in its 2x2 tile, and so its rounding,
      // does not depend on the band (P-Net's tiles then match a whole level bit for bit); the
      // last band, or a single one over an odd OH, may end a row past OH.
      return [range(n, 0, N, 1, emitBands(fn, OH, R, (oy0) => [
        ...emitBand(fn, k, imageAt(at.inputs[0], n, 4 * C * H * W), oy0, at.scratch),
        // 1. V, channel by channel, tile row by tile row.
        set(channelFrom, i32.const(at.scratch)),
        set(channelTo, i32.const(V)),
        range(c, 0, C, 1, [
          set(rowFrom, get(channelFrom)),
          set(rowTo, get(channelTo)),
          range(ty, 0, tileRows, 1, [
            ...groupsAlong(across, OW, [[from, get(rowFrom)], [to, get(rowTo)]], [32, 16], inputGroup),
            bump(rowFrom, 8 * band.width),
            bump(rowTo, 4 * across),
          ]),
          bump(channelFrom, 4 * band.plane),
          bump(channelTo, rowBytes),
        ]),
        // 2. M[ξ] = U[ξ] · V[ξ].
        set(w, i32.const(at.constants)),
        set(from, i32.const(V)),
        set(to, i32.const(M)),
        doWhile([
          ...emitGemm(fn, { O, K: C, P: tiles, activation: NONE, weights: get(w), x: get(from), xStride: rowBytes, y: get(to), yStride: rowBytes }),
          bump(w, productBytes), bump(from, C * rowBytes), bump(to, O * rowBytes),
        ], i32.ltU(get(from), i32.const(M))),
        // 3. y, channel by channel, tile row by tile row.
        set(yOut, i32.add(imageAt(at.outputs[0], n, 4 * O * OH * OW), i32.mul(get(oy0), i32.const(4 * OW)))),
        set(param, i32.const(biasAt)),
        set(channelFrom, i32.const(M)),
        range(o, 0, O, 1, [
          set(biasV, v128.load32Splat(get(param), 0)),
          ...(activation.kind === 'prelu' ? [set(slopeV, v128.load32Splat(get(param), 4 * O))] : []),
          set(rowFrom, get(channelFrom)),
          set(rowTo, get(yOut)),
          set(oy, get(oy0)),
          range(ty, 0, tileRows, 1, outputRow),
          bump(channelFrom, rowBytes),
          bump(yOut, 4 * OH * OW),
          bump(param, 4),
        ]),
      ], 2))];
    },
  };
};
