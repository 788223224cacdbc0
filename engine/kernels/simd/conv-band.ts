// The band of a general convolution (lower/kernel-node.ts BandLayout: the input rows a band of
// output rows reads, the padding made real and a horizontal stride split into phases), as the
// direct and im2col kernels share it: their constants (the weights, bias and prelu slopes as the
// layer holds them, then the band's tap table in bytes), the loop over bands, and the copy of a
// band into scratch. Each band row is copied whole or zero-filled by one test of its row index;
// the zero columns on either side are known per phase when the code is generated.

import type { KernelOf } from '../../lower/kernel-node.js';
import {
  bump, doWhile, f32, f32x4, get, i32, ifElse, range, set, shuffleF32, storeLanes, v128, type Expr, type FunctionBuilder, type Local,
} from '../../wasm/instructions.js';
import { slopeOf } from './packed-once.js';

/** What a convolution over bands needs at plan time: its sizes, and its constants. */
export interface BandedConv {
  N: number; O: number; OH: number; OW: number;
  /** Groups, output channels per group, taps per group (Cg·KH·KW). */
  G: number; Og: number; K: number;
  /** Bytes of one input image. */
  imageBytes: number;
  /** The weights [O, Cg·KH·KW] (a group's rows groupBytes after the group before), the bias
   *  [O] biasAt bytes on, the prelu slopes [O] after it, then the tap table: the band's taps (i32
   *  byte offsets into the band) of a group's Cg·KH·KW taps, tableAt bytes on. */
  constants: Float32Array[];
  groupBytes: number;
  biasAt: number;
  tableAt: number;
  /** Band bytes from one group's channels to the next. */
  groupBand: number;
}

export function bandedConv({ conv, band, inShapes: [[, C, H, W]], outShapes: [[N, O, OH, OW]] }: KernelOf<'conv-direct' | 'conv-im2col'>): BandedConv {
  const K = band.taps.length;
  const table = new Float32Array(Int32Array.from(band.taps, (t) => 4 * t).buffer); // the i32s' bits, placed as they are
  const G = conv.group;
  const layer = [conv.weight, conv.bias, ...slopeOf(conv.activation)];
  return {
    N, O, OH, OW, G, Og: O / G, K, imageBytes: 4 * C * H * W,
    constants: [...layer, table], groupBytes: 4 * (O / G) * K, biasAt: 4 * conv.weight.length,
    tableAt: 4 * layer.reduce((floats, a) => floats + a.length, 0), groupBand: 4 * (band.floats / G),
  };
}

/**
 * Runs `body(oy0)` for each band, oy0 (a local) holding its first output row; the last band
 * starts at OH − R, or with `align` at OH − R rounded up to a multiple of it (then it may reach
 * past OH, and the body must not store there).
 */
export function emitBands(fn: FunctionBuilder, OH: number, R: number, body: (oy0: Local) => Expr[], align = 1): Expr[] {
  const next = fn.local('i32');
  const oy0 = fn.local('i32');
  if (R >= OH) return [set(oy0, i32.const(0)), ...body(oy0)];
  const last = align * Math.ceil((OH - R) / align);
  return [
    set(next, i32.const(0)),
    doWhile([
      set(oy0, i32.select(get(next), i32.const(last), i32.ltU(get(next), i32.const(last)))),
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
export function emitBand(fn: FunctionBuilder, k: KernelOf<'conv-direct' | 'conv-im2col' | 'conv-winograd'>, x: Expr, oy0: Local, dst: number): Expr[] {
  const [[, C, H, W]] = k.inShapes;
  const { stride: [SH, SW], pad: [PT, PL] } = k.conv;
  const { width: Wq, inRows: rows } = k.band;
  const planeBytes = 4 * k.band.plane;
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
    const [j0, j1] = k.band.columns.subarray(2 * q, 2 * q + 2);
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
