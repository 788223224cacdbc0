// X rows a power-of-two number of bytes apart (the planes of a 64x64 or 32x32 image) put the K
// values a tile reads at one pixel in one L1 set (8 ways), so every step of the product
// misses (a 16→64 1x1 conv: 18 GFLOP/s at 32x32, 35 at 34x34); and an X too big for the caches
// is read K rows at a time from memory, once per block of rows. Then gemm.ts first copies X,
// a chunk of pixels at a time, into a panel in scratch, tile by tile, and reads that in order:
//   panel[t][k] = X[k, chunk + 8t .. chunk + 8t + 7]
// The lowering decides when a product reads through a panel (kernel-node.ts 'conv-pointwise'),
// and reserves PANEL_FLOATS of scratch for it.

import { PANEL_FLOATS } from '../../lower/kernel-node.js';
import { bump, doWhile, get, i32, set, v128, type Expr, type FunctionBuilder } from '../../wasm/instructions.js';

/** Pixels per tile of the product. */
export const TILE = 8;

/** Pixels per chunk: as many whole tiles as fit the panel. */
export const panelPixels = (K: number) => TILE * Math.max(1, Math.floor(PANEL_FLOATS / (TILE * K)));

/**
 * Copies X[k, chunk .. chunk + count) for every k < K into the panel at `panel`, whole tiles
 * (the last may read past the row, which the GUARD allows). `x` is X's address plus the chunk's byte offset.
 */
export function emitPanel(fn: FunctionBuilder, x: Expr, xStride: number, K: number, count: number, panel: number): Expr[] {
  const row = fn.local('i32'); // X[k, chunk]
  const slot = fn.local('i32'); // panel[0][k]
  const src = fn.local('i32');
  const dst = fn.local('i32');
  const tileBytes = 4 * TILE * K;
  return [
    set(row, x),
    set(slot, i32.const(panel)),
    doWhile([
      set(src, get(row)),
      set(dst, get(slot)),
      doWhile([
        v128.store(get(dst), 0, v128.load(get(src), 0)),
        v128.store(get(dst), 16, v128.load(get(src), 16)),
        bump(src, 4 * TILE),
        bump(dst, tileBytes),
      ], i32.ltU(get(dst), i32.add(get(slot), i32.const(tileBytes * Math.ceil(count / TILE))))),
      bump(row, xStride),
      bump(slot, 4 * TILE),
    ], i32.ltU(get(slot), i32.const(panel + 4 * TILE * K))),
  ];
}
