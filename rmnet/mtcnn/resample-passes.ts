// The resampler's loops (resample.ts) as WebAssembly: the photo's row prefix sums, the pass along
// x and the pass along y. They run once or a few times per photo, so in JavaScript most of their
// work ran before V8 optimised them, boxing every intermediate float (~20 MB of garbage for two
// small photos); WebAssembly is compiled before its first call. Same float64 operations in the
// same order as the formulas in resample.ts, so the same outputs bit for bit.
//
// One module, instantiated on each resampler's own memory. A function takes its arguments as
// i32s at ARGS (byte 0 on), written there by the caller:
//
//   rowSums  width, height, channels, pixels, sums
//            pixels: bytes [row][x][channel]; sums: u16 [row][x + 1][3], x's before it summed, mod 2^16
//   alongX   columns, top, bottom, pixelRow, sumsRow, columnOffsets, columnWeights, pixels, rowSums, out, plane, long
//            columnOffsets: i32 [column][4] (head, end: bytes into a pixel row; from, to: bytes into a
//            sums row); columnWeights: f64 [column][3] (lead, inner, tail); out: f64 [channel][row][column]
//            (plane bytes a channel), rows top … bottom after a row of zeros, each the sum of those above;
//            long: 1 when some column's run between its ends is longer than RUN pixels
//   alongY   columns, y0, y1, rowTaps, rowWeights, sums, plane, top, target, column, targetPlane
//            rowTaps: i32 [y][2] (first, last); rowWeights: f64 [y][3]; target: f32 [channel][column][y]
//            (byte address of (0, 0, 0); column and targetPlane in floats)
// All byte addresses; every range the caller passes is inside the memory.

import { encodeModule, type FunctionDef } from '../../engine/wasm/binary.js';
import { bump, doWhile, f32, f64, FunctionBuilder, get, i32, ifElse, seq, set, type Expr, type Local } from '../../engine/wasm/instructions.js';

export const ARGS = 0;
/** Bytes the arguments take (12 i32s at most). */
export const ARGS_BYTES = 64;

/**
 * The row sums are kept mod 2^16, 6 bytes a pixel: the pass along x streams them from memory once
 * per pyramid level, which on a large photo is about half its time (bench/NOTES.md §30). The
 * difference of two, mod 2^16, is the exact sum of the pixels between them when those are at most
 * RUN (255 · 257 < 2^16); a longer run is summed in steps of RUN pixels.
 */
export const RUN = 257;
export const SUM_BYTES = 6;

const arg = (k: number) => i32.load(i32.const(ARGS), 4 * k);

/** counter = from; while counter < to (unsigned): body, counter += step. No iteration when from >= to. */
function loop(counter: Local, from: Expr, to: Expr, step: number, body: Expr[]): Expr {
  const more = () => i32.ltU(get(counter), to);
  return seq([set(counter, from), ifElse(more(), [doWhile([...body, bump(counter, step)], more())], [])]);
}

function rowSums(): FunctionDef {
  const fn = new FunctionBuilder();
  const [width, height, channels, pixels, sums] = Array.from({ length: 5 }, () => fn.local('i32'));
  const [y, x, p, q] = Array.from({ length: 4 }, () => fn.local('i32'));
  const s = [fn.local('i32'), fn.local('i32'), fn.local('i32')];
  return fn.finish('rowSums', [
    ...[width, height, channels, pixels, sums].map((l, k) => set(l, arg(k))),
    set(p, get(pixels)),
    set(q, get(sums)),
    loop(y, i32.const(0), get(height), 1, [
      ...s.map((l) => set(l, i32.const(0))),
      ...s.map((_, c) => i32.store16(get(q), 2 * c, i32.const(0))),
      loop(x, i32.const(0), get(width), 1, [
        bump(q, SUM_BYTES),
        ...s.map((l, c) => set(l, i32.add(get(l), i32.load8U(get(p), c)))),
        ...s.map((l, c) => i32.store16(get(q), 2 * c, get(l))),
        set(p, i32.add(get(p), get(channels))),
      ]),
      bump(q, SUM_BYTES),
    ]),
  ]);
}

function alongX(): FunctionDef {
  const fn = new FunctionBuilder();
  const names = ['columns', 'top', 'bottom', 'pixelRow', 'sumsRow', 'offsets', 'weights', 'pixels', 'rowSums', 'out', 'plane', 'long'] as const;
  const a = Object.fromEntries(names.map((name) => [name, fn.local('i32')])) as Record<(typeof names)[number], Local>;
  const [y, x, at, p, q, o, w, end, head, last, from, to, step] = Array.from({ length: 13 }, () => fn.local('i32'));
  const runs = [fn.local('i32'), fn.local('i32'), fn.local('i32')];
  const [lead, inner, tail] = [fn.local('f64'), fn.local('f64'), fn.local('f64')];
  const rowBytes = i32.mul(get(a.columns), i32.const(8));
  // Channel c's pixels lower … upper - 1 summed: their row sums' difference mod 2^16.
  const apart = (c: number, upper: Expr, lower: Expr) => i32.and(i32.sub(i32.load16U(upper, 2 * c), i32.load16U(lower, 2 * c)), i32.const(0xffff));
  const short = runs.map((r, c) => set(r, apart(c, get(to), get(from))));
  const long = [
    ...runs.map((r) => set(r, i32.const(0))),
    doWhile([ // RUN pixels at a time
      set(step, i32.select(get(to), i32.add(get(from), i32.const(RUN * SUM_BYTES)), i32.ltU(i32.sub(get(to), get(from)), i32.const(RUN * SUM_BYTES + 1)))),
      ...runs.map((r, c) => set(r, i32.add(get(r), apart(c, get(step), get(from))))),
      set(from, get(step)),
    ], i32.ltU(get(from), get(to))),
  ];
  // sums[at] = sums[at - row] + (lead · v[head] + inner · run + tail · v[last]), per channel
  const channel = (c: number) => {
    const out = i32.add(get(at), i32.mul(get(a.plane), i32.const(c)));
    const sum = f64.add(f64.add(
      f64.mul(get(lead), f64.fromI32(i32.load8U(get(head), c))),
      f64.mul(get(inner), f64.fromI32(get(runs[c])))),
    f64.mul(get(tail), f64.fromI32(i32.load8U(get(last), c))));
    return f64.store(out, 0, f64.add(f64.load(i32.sub(out, rowBytes), 0), sum));
  };
  const rows = (runSums: Expr[]) => loop(y, get(a.top), get(end), 1, [
    set(p, i32.add(get(a.pixels), i32.mul(get(y), get(a.pixelRow)))),
    set(q, i32.add(get(a.rowSums), i32.mul(get(y), get(a.sumsRow)))),
    set(o, get(a.offsets)),
    set(w, get(a.weights)),
    loop(x, i32.const(0), get(a.columns), 1, [
      set(lead, f64.load(get(w), 0)), set(inner, f64.load(get(w), 8)), set(tail, f64.load(get(w), 16)),
      set(head, i32.add(get(p), i32.load(get(o), 0))),
      set(last, i32.add(get(p), i32.load(get(o), 4))),
      set(from, i32.add(get(q), i32.load(get(o), 8))),
      set(to, i32.add(get(q), i32.load(get(o), 12))),
      ...runSums,
      channel(0), channel(1), channel(2),
      bump(at, 8), bump(o, 16), bump(w, 24),
    ]),
  ]);
  return fn.finish('alongX', [
    ...names.map((name, k) => set(a[name], arg(k))),
    // The row of zeros above each channel's sums.
    loop(x, i32.const(0), get(a.columns), 1, [0, 1, 2].map((c) =>
      f64.store(i32.add(i32.add(get(a.out), i32.mul(get(a.plane), i32.const(c))), i32.mul(get(x), i32.const(8))), 0, f64.const(0)))),
    set(at, i32.add(get(a.out), rowBytes)),
    set(end, i32.add(get(a.bottom), i32.const(1))),
    ifElse(get(a.long), [rows(long)], [rows(short)]),
  ]);
}

function alongY(): FunctionDef {
  const fn = new FunctionBuilder();
  const names = ['columns', 'y0', 'y1', 'taps', 'weights', 'sums', 'plane', 'top', 'target', 'column', 'targetPlane'] as const;
  const a = Object.fromEntries(names.map((name) => [name, fn.local('i32')])) as Record<(typeof names)[number], Local>;
  const [c, y, x, first, last, r0, r2, dest, base] = Array.from({ length: 9 }, () => fn.local('i32'));
  const [lead, inner, tail, s1, e] = Array.from({ length: 5 }, () => fn.local('f64'));
  const rowBytes = () => i32.mul(get(a.columns), i32.const(8));
  const columnBytes = () => i32.mul(get(a.column), i32.const(4));
  const row = (r: Local) => i32.add(get(base), i32.mul(i32.sub(get(r), get(a.top)), rowBytes()));
  const xBytes = () => i32.mul(get(x), i32.const(8));
  // Prefix rows first, first + 1, last, last + 1: v[first], the run between and v[last] are their differences.
  const value = f64.add(f64.add(
    f64.mul(get(lead), f64.sub(get(s1), f64.load(i32.add(get(r0), xBytes()), 0))),
    f64.mul(get(inner), f64.sub(get(e), get(s1)))),
  f64.mul(get(tail), f64.sub(f64.load(i32.add(i32.add(get(r2), rowBytes()), xBytes()), 0), get(e))));
  const normalised = (v: Expr) => f32.demote(f64.mul(f64.sub(v, f64.const(127.5)), f64.const(0.0078125)));
  return fn.finish('alongY', [
    ...names.map((name, k) => set(a[name], arg(k))),
    loop(c, i32.const(0), i32.const(3), 1, [
      set(base, i32.add(get(a.sums), i32.mul(get(c), get(a.plane)))),
      loop(y, get(a.y0), get(a.y1), 1, [
        set(dest, i32.add(get(a.target), i32.mul(i32.add(i32.mul(get(c), get(a.targetPlane)), get(y)), i32.const(4)))),
        set(first, i32.load(i32.add(get(a.taps), i32.mul(get(y), i32.const(8))), 0)),
        set(last, i32.load(i32.add(get(a.taps), i32.mul(get(y), i32.const(8))), 4)),
        ifElse(i32.ltS(get(last), get(first)), [
          // wholly outside the image: black
          loop(x, i32.const(0), get(a.columns), 1, [f32.store(get(dest), 0, normalised(f64.const(0))), set(dest, i32.add(get(dest), columnBytes()))]),
        ], [
          set(lead, f64.load(i32.add(get(a.weights), i32.mul(get(y), i32.const(24))), 0)),
          set(inner, f64.load(i32.add(get(a.weights), i32.mul(get(y), i32.const(24))), 8)),
          set(tail, f64.load(i32.add(get(a.weights), i32.mul(get(y), i32.const(24))), 16)),
          set(r0, row(first)),
          set(r2, row(last)),
          loop(x, i32.const(0), get(a.columns), 1, [
            set(s1, f64.load(i32.add(i32.add(get(r0), rowBytes()), xBytes()), 0)),
            set(e, f64.load(i32.add(get(r2), xBytes()), 0)),
            f32.store(get(dest), 0, normalised(value)),
            set(dest, i32.add(get(dest), columnBytes())),
          ]),
        ]),
      ]),
    ]),
  ]);
}

let compiled: WebAssembly.Module | undefined;

/** The module (made once per process). */
export function resampleModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(encodeModule([rowSums(), alongX(), alongY()], 1));
  return compiled;
}
