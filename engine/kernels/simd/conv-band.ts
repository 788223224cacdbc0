// The input a band of R output rows of a convolution reads, copied into scratch with its
// padding made real (zeros) and, for a horizontal stride S > 1, split into S phases, so that
// every tap reads consecutive floats for consecutive output columns:
//   band[c][q][i][j] = x[c, iy0 + i, j·S + q − PL]      (0 outside the input)
// with iy0 = oy0·SH − PT for the band's first output row oy0, i < rows = (R−1)·SH + (KH−1)·DH + 1
// and j < Wq. Output (oy0 + r, ox) then reads tap (c, ky, kx) at
//   band[c][(kx·DW) mod S][r·SH + ky·DH][ox + floor(kx·DW / S)]
// (`tapOffset`). Each band row is copied whole or zero-filled by one test of its row index;
// the zero columns on either side are known per phase when the code is generated.
//
// Bands have equal height R and start at 0, R, 2R, ...; the last one ends at OH: it may
// overlap the one before, which recomputes a few rows to the same values instead of
// emitting the code for a shorter band.

import type { Shape } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import {
  bump, doWhile, f32, f32x4, get, i32, ifElse, range, set, shuffleF32, storeLanes, v128, type Expr, type FunctionBuilder, type Local,
} from '../../wasm/instructions.js';
import { packGroups } from './gemm-weights.js';

export interface BandLayout {
  /** Output rows per band. */
  R: number;
  /** Input rows per band. */
  rows: number;
  /** Floats per band row (one phase). */
  Wq: number;
  /** Bytes from one (channel, phase) plane to the next. */
  planeBytes: number;
  /** Scratch bytes of a whole band (C channels). */
  bytes: number;
}

export interface BandGeometry {
  C: number; H: number; W: number; OH: number; OW: number;
  kernel: [number, number]; stride: [number, number]; pad: [number, number, number, number]; dilation: [number, number];
}

/**
 * The layout for bands of as many output rows as keep the band, plus `perRow` bytes of other
 * scratch per output row, within `budget` bytes (at least one row).
 */
export function bandLayout(g: BandGeometry, budget: number, perRow = 0): BandLayout {
  const { C, OH, OW, kernel: [KH, KW], stride: [SH, SW], dilation: [DH, DW] } = g;
  const Wq = OW + Math.floor(((KW - 1) * DW) / SW);
  const rowsFor = (R: number) => (R - 1) * SH + (KH - 1) * DH + 1;
  const bytesFor = (R: number) => C * SW * rowsFor(R) * Wq * 4 + R * perRow;
  let most = 1;
  while (most < OH && bytesFor(most + 1) <= budget) most++;
  // As few bands as fit, of equal height, so the last one overlaps the one before by little.
  const R = Math.ceil(OH / Math.ceil(OH / most));
  // Planes a multiple of 1 KB apart would put a tap's channels in one L1 set (gemm-panel.ts).
  const plain = 4 * rowsFor(R) * Wq;
  const planeBytes = plain % 1024 === 0 ? plain + 64 : plain;
  return { R, rows: rowsFor(R), Wq, planeBytes, bytes: C * SW * planeBytes };
}

/** Byte offset in the band of tap (c, ky, kx) for output (band row 0, column 0). */
function tapOffset(g: BandGeometry, band: BandLayout, c: number, ky: number, kx: number): number {
  const { stride: [, SW], dilation: [DH, DW] } = g;
  const q = (kx * DW) % SW;
  return (c * SW + q) * band.planeBytes + 4 * (ky * DH * band.Wq + Math.floor((kx * DW) / SW));
}

/** What a convolution over bands needs at plan time (conv-direct.ts, conv-im2col.ts). */
export interface BandedConv {
  geometry: BandGeometry;
  band: BandLayout;
  N: number; G: number; Og: number;
  /** Taps per group: Cg·KH·KW. */
  K: number;
  /** Each group's packed weights (gemm-weights.ts), groupBytes apart, then the tap table: K
   *  i32 byte offsets into the band, k = (c, ky, kx) of the group's first channel. */
  constants: Float32Array;
  groupBytes: number;
  tableAt: number;
  /** Band bytes from one group's channels to the next. */
  groupBand: number;
}

/** The band (within `budget` bytes, with `colPerTap` more bytes per tap and output pixel) and constants of a Conv. */
export function bandedConv(node: NodeOf<'Conv'>, inShapes: Shape[], outShapes: Shape[], budget: number, colPerTap = 0): BandedConv {
  const [N, C, H, W] = inShapes[0];
  const [, O, OH, OW] = outShapes[0];
  const { kernel, stride, pad, dilation, group: G } = node.attrs;
  const [KH, KW] = kernel;
  const Cg = C / G;
  const K = Cg * KH * KW;
  const geometry: BandGeometry = { C, H, W, OH, OW, kernel, stride, pad, dilation };
  const band = bandLayout(geometry, budget, colPerTap * K * OW);
  const { weights, groupBytes } = packGroups(node, G);
  const constants = new Float32Array(weights.length + K);
  constants.set(weights);
  const table = new Int32Array(constants.buffer, 4 * weights.length, K);
  for (let c = 0, k = 0; c < Cg; c++) for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) table[k++] = tapOffset(geometry, band, c, ky, kx);
  return { geometry, band, N, G, Og: O / G, K, constants, groupBytes, tableAt: 4 * weights.length, groupBand: Cg * stride[1] * band.planeBytes };
}

/**
 * Runs `body(oy0)` for each band, oy0 (a local) holding its first output row; the last band
 * starts at OH − R.
 */
export function emitBands(fn: FunctionBuilder, OH: number, R: number, body: (oy0: Local) => Expr[]): Expr[] {
  const next = fn.local('i32');
  const oy0 = fn.local('i32');
  if (R >= OH) return [set(oy0, i32.const(0)), ...body(oy0)];
  return [
    set(next, i32.const(0)),
    doWhile([
      set(oy0, i32.select(get(next), i32.const(OH - R), i32.ltU(get(next), i32.const(OH - R)))),
      ...body(oy0),
      bump(next, R),
    ], i32.ltU(get(next), i32.const(OH))),
  ];
}

/** Statements storing `count` zeros (a local) from the address in `to` plus `from` floats. */
function zeros(fn: FunctionBuilder, to: Local, from: number, count: number, zero: Local): Expr[] {
  const vectors = Math.floor(count / 4);
  const rest = count - 4 * vectors;
  const tail = rest > 0 ? storeLanes(get(to), 4 * (from + 4 * vectors), zero, rest) : [];
  if (vectors <= 4) return [...Array.from({ length: vectors }, (_, v) => v128.store(get(to), 4 * from + 16 * v, get(zero))), ...tail];
  const d = fn.local('i32');
  return [
    set(d, i32.add(get(to), i32.const(4 * from))),
    doWhile([v128.store(get(d), 0, get(zero)), bump(d, 16)], i32.ltU(get(d), i32.add(get(to), i32.const(4 * from + 16 * vectors)))),
    ...tail,
  ];
}

/** Statements copying the band whose first output row is oy0 (a local) of the image at `x` into `dst`. */
export function emitBand(fn: FunctionBuilder, g: BandGeometry, band: BandLayout, x: Expr, oy0: Local, dst: number): Expr[] {
  const { C, H, W, stride: [SH, SW], pad: [PT, PL] } = g;
  const { Wq, rows, planeBytes } = band;
  const c = fn.local('i32');
  const xPlane = fn.local('i32'); // x[c, 0, 0]
  const channel = fn.local('i32'); // band[c][0][0][0]
  const iy = fn.local('i32'); // input row of band row i (may be outside [0, H))
  const src = fn.local('i32'); // x[c, iy, 0]
  const to = fn.local('i32'); // band[c][q][i][0]
  const s = fn.local('i32');
  const d = fn.local('i32');
  const v = fn.local('v128');
  const zero = fn.local('v128');

  /** Band columns [j0, j1) of phase q from the input row at src, 4 at a time, the last vector partial. */
  const copy = (q: number, j0: number, j1: number): Expr[] => {
    const count = j1 - j0;
    const vectors = Math.floor(count / 4);
    const rest = count - 4 * vectors;
    const step = (lanes: number): Expr[] => {
      // Stride 1: one load; 2: the even lanes of two; more: lane by lane (only those stored).
      const load = SW === 1 ? v128.load(get(s), 0)
        : SW === 2 ? shuffleF32(v128.load(get(s), 0), v128.load(get(s), 16), [0, 2, 4, 6])
          : Array.from({ length: lanes - 1 }, (_, l) => l + 1)
            .reduce((acc, l) => f32x4.replaceLane(acc, l, f32.load(get(s), 4 * SW * l)), f32x4.splat(f32.load(get(s), 0)));
      return [set(v, load), ...storeLanes(get(d), 0, v, lanes)];
    };
    if (count <= 0) return [];
    return [
      set(s, i32.add(get(src), i32.const(4 * (j0 * SW + q - PL)))),
      set(d, i32.add(get(to), i32.const(4 * j0))),
      ...(vectors > 0 ? [doWhile([...step(4), bump(s, 16 * SW), bump(d, 16)],
        i32.ltU(get(d), i32.add(get(to), i32.const(4 * (j0 + 4 * vectors)))))] : []),
      ...(rest > 0 ? step(rest) : []),
    ];
  };

  const phases = Array.from({ length: SW }, (_, q) => {
    // Columns j of phase q inside the input: 0 <= j·SW + q − PL < W.
    const j0 = Math.min(Wq, Math.max(0, Math.ceil((PL - q) / SW)));
    const j1 = Math.max(j0, Math.min(Wq, Math.ceil((W + PL - q) / SW)));
    return [
      set(iy, i32.sub(i32.mul(get(oy0), i32.const(SH)), i32.const(PT))),
      set(src, i32.add(get(xPlane), i32.mul(get(iy), i32.const(4 * W)))),
      set(to, i32.add(get(channel), i32.const(q * planeBytes))),
      doWhile([
        ifElse(i32.ltU(get(iy), i32.const(H)),
          [...zeros(fn, to, 0, j0, zero), ...copy(q, j0, j1), ...zeros(fn, to, j1, Wq - j1, zero)],
          zeros(fn, to, 0, Wq, zero)),
        bump(iy, 1),
        bump(src, 4 * W),
        bump(to, 4 * Wq),
      ], i32.ltU(get(to), i32.add(get(channel), i32.const(q * planeBytes + 4 * rows * Wq)))),
    ];
  }).flat();
  return [
    set(zero, fn.splat(0)),
    set(xPlane, x),
    set(channel, i32.const(dst)),
    range(c, 0, C, 1, [...phases, bump(xPlane, 4 * H * W), bump(channel, SW * planeBytes)]),
  ];
}
