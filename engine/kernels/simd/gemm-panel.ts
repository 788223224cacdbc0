// X rows a power-of-two number of bytes apart (the planes of a 64x64 or 32x32 image) put the K
// values a tile reads at one pixel in one L1 set (8 ways), so every step of the product
// misses (a 16→64 1x1 conv: 18 GFLOP/s at 32x32, 35 at 34x34); and an X too big for the caches
// is read K rows at a time from memory, once per block of rows. Then gemm.ts first copies X,
// a chunk of pixels at a time, into a panel in scratch, tile by tile, and reads that in order:
//   panel[t][k] = X[k, chunk + 8t .. chunk + 8t + 7]

import { bump, doWhile, get, i32, set, v128, type Expr, type FunctionBuilder } from '../../wasm/instructions.js';

/** Pixels per tile of the product. */
export const TILE = 8;

/** Scratch bytes of a panel (stays in L1 with the block's weights). */
export const PANEL_BYTES = 16384;

/** X bytes above which the panel pays even without set conflicts: X no longer fits L2 (1 MB), and
 *  reading K rows a tile at a time defeats the prefetchers (P-Net's 32→4 head at 608x1151:
 *  4.1 ms, 2.2 through the panel; 32→6: 14 ms, 2.8, as every block re-read X from memory). */
const LARGE = 1024 * 1024;

/** Whether X rows `xStride` bytes apart are worth copying into a panel. */
export const usePanel = (K: number, xStride: number) => K >= 8 && (xStride % 1024 === 0 || K * xStride > LARGE);

/** Pixels per chunk: as many whole tiles as fit the panel. */
export const panelPixels = (K: number) => TILE * Math.max(1, Math.floor(PANEL_BYTES / (4 * TILE * K)));

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
