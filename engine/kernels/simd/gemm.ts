// The matrix product under every convolution but the depthwise ones (1x1 directly; others over a
// table of tap offsets or an im2col):
//   Y[o, p] = act(bias[o] + sum_k W[o, k] · X[k, p])     o < O, k < K, p < P
// with the P pixels of each row of X and Y consecutive. Four lanes run along p; a tile of 4
// output rows by 2 pixel vectors lives in 8 accumulators, so each step over k loads 2 vectors
// of X and 4 weights, each broadcast to a vector as it is loaded (`v128.load32_splat`, one per
// row of W, at constant offsets K floats apart), for 8 multiply-adds. Bigger tiles spill x86's 16
// vector registers. W, the bias and the slopes are read as the layer holds them, so nothing is
// packed: placing a layer's weights is one copy (bench/NOTES.md §27).
//
// Row k of X starts at a constant stride from X[0, 0], or at an offset read from a table (the
// taps of a direct convolution: conv-direct.ts). Blocks of 4 rows run outside the pixel tiles,
// chunk by chunk of pixels; the last block may have fewer rows and the last tile fewer pixels
// (its stores skip the lanes past P; its loads read past them, which the GUARD allows). Where
// the lowering asks for a panel, X is read from it (gemm-panel.ts), chunk by chunk. An ELU runs
// over a block's rows once its tiles are stored (still in cache), eight vectors at a time
// (activateRun): beside the accumulators only two would overlap. Other activations run on the
// accumulators.

import type { KernelActivation } from '../../lower/kernel-node.js';
import { bump, doWhile, FunctionBuilder, get, i32, range, set, storeLanes, v128, type Expr, type Local } from '../../wasm/instructions.js';
import { activate, activateRun } from './activation.js';
import { emitPanel, panelPixels, TILE } from './gemm-panel.js';

const VECTORS = TILE / 4;
/** Output rows per block of the product. */
const ROWS = 4;

export interface Gemm {
  O: number;
  K: number;
  P: number;
  activation: KernelActivation;
  /** Byte address of W[0, 0]: W is [O, K], row-major. */
  weights: Expr;
  /** Byte address of bias[0] (O floats), or none (zero); for prelu the slopes (O floats) lie
   *  `slopes` bytes after the bias. */
  bias?: Expr;
  slopes?: number;
  /** Byte address of X[0, 0]; row k starts xStride·k bytes further, or, with xOffsets, ... */
  x: Expr;
  xStride: number;
  /** ... at the byte offset in entry k of this i32 table (a byte address). */
  xOffsets?: number;
  /** Byte address of Y[0, 0]; rows are yStride bytes apart (default 4P). */
  y: Expr;
  yStride?: number;
  /** Byte address of PANEL_FLOATS of scratch, when X is to be read through a panel. */
  panel?: number;
  /** Pixels per chunk without a panel (default P): every block runs over a chunk before the next. */
  chunk?: number;
}

/** The statements computing Y. */
export function emitGemm(fn: FunctionBuilder, g: Gemm): Expr[] {
  const { O, K, P, activation, panel, xOffsets } = g;
  if (panel !== undefined && xOffsets !== undefined) throw new Error('emitGemm: a panel needs X rows at a constant stride');
  if (activation.kind === 'prelu' && (g.bias === undefined || g.slopes === undefined)) throw new Error('emitGemm: a prelu needs the bias and the slopes');
  const rowBytesW = 4 * K; // from one row of W to the next
  const blockBytes = ROWS * rowBytesW;
  const rowBytes = g.yStride ?? 4 * P;
  const chunkPixels = panel === undefined ? Math.min(P, g.chunk ?? P) : panelPixels(K);
  const xStepK = panel === undefined ? g.xStride : 4 * TILE; // from one k to the next within a tile
  const xStepTile = panel === undefined ? 4 * TILE : 4 * TILE * K; // from one tile to the next
  const deferred = activation.kind === 'elu';
  const block = fn.local('i32'); // address of the block's first row of W
  const blockBias = fn.local('i32'); // address of the block's first bias
  const blocksEnd = fn.local('i32'); // address past the full blocks' weights
  const yRow = fn.local('i32'); // byte offset of the block's first row in Y
  const chunk = fn.local('i32'); // byte offset of the chunk's first pixel in a row
  const pix = fn.local('i32'); // byte offset of the tile's first pixel in a row
  const xTile = fn.local('i32');
  const xp = fn.local('i32');
  const wp = fn.local('i32');
  const wEnd = fn.local('i32');
  const out = fn.local('i32');
  const row = fn.local('i32');
  const tap = fn.local('i32'); // entry k of the offset table
  const xk = fn.local('i32'); // X[k, pix] through the table
  const w = fn.local('v128');
  const xs = Array.from({ length: VECTORS }, () => fn.local('v128'));

  /** Statements loading the tile's X vectors at step k, then advancing to k + 1. */
  const loadX = (vectors: number): Expr[] => {
    if (xOffsets === undefined) return [...xs.slice(0, vectors).map((x, v) => set(x, v128.load(get(xp), 16 * v))), bump(xp, xStepK)];
    return [
      set(xk, i32.add(get(xTile), i32.load(get(tap), 0))),
      ...xs.slice(0, vectors).map((x, v) => set(x, v128.load(get(xk), 16 * v))),
      bump(tap, 4),
    ];
  };

  /** One tile: `rows` rows of the block, `vectors` pixel vectors at pix (X at xTile), the last with `lanes` lanes. */
  const tile = (rows: number, vectors: number, lanes: number): Expr[] => {
    const acc: Local[][] = Array.from({ length: rows }, () => Array.from({ length: vectors }, () => fn.local('v128')));
    return [
      ...acc.flatMap((accRow, i) => accRow.map((a) => set(a, g.bias === undefined ? fn.splat(0) : v128.load32Splat(get(blockBias), 4 * i)))),
      set(xOffsets === undefined ? xp : tap, xOffsets === undefined ? get(xTile) : i32.const(xOffsets)),
      set(wp, get(block)),
      set(wEnd, i32.add(get(wp), i32.const(rowBytesW))),
      // One k per iteration: TurboFan unrolls the loop itself, and schedules all of a bigger
      // body's loads first, which spills.
      doWhile([
        ...loadX(vectors),
        ...acc.flatMap((accRow, i) => [
          set(w, v128.load32Splat(get(wp), rowBytesW * i)),
          ...accRow.map((a, v) => set(a, fn.madd(get(w), get(xs[v]), get(a)))),
        ]),
        bump(wp, 4),
      ], i32.ltU(get(wp), get(wEnd))),
      set(out, i32.add(i32.add(g.y, get(yRow)), get(pix))),
      ...acc.flatMap((accRow, i) => [
        ...(deferred ? [] : activate(fn, activation, accRow, () => v128.load32Splat(get(blockBias), g.slopes! + 4 * i))),
        ...accRow.flatMap((a, v) => storeLanes(get(out), i * rowBytes + 16 * v, a, v < vectors - 1 ? 4 : lanes)),
      ]),
    ];
  };

  /** The pixels [chunk, chunk + count) of the block, which has `rows` rows. */
  const tiles = (rows: number, count: number): Expr[] => {
    const full = Math.floor(count / TILE) * TILE;
    const rest = count - full;
    const vectors = Math.ceil(rest / 4);
    return [
      set(pix, get(chunk)),
      set(xTile, panel === undefined ? i32.add(g.x, get(chunk)) : i32.const(panel)),
      ...(full > 0 ? [doWhile([...tile(rows, VECTORS, 4), bump(pix, 4 * TILE), bump(xTile, xStepTile)],
        i32.ltU(get(pix), i32.add(get(chunk), i32.const(4 * full))))] : []),
      ...(rest > 0 ? tile(rows, vectors, rest - 4 * (vectors - 1)) : []),
      ...(deferred ? [
        set(out, i32.add(i32.add(g.y, get(yRow)), get(chunk))),
        range(row, 0, rows, 1, [...activateRun(fn, activation, out, count), bump(out, rowBytes - 4 * count)]),
      ] : []),
    ];
  };

  /** Every block over the pixels [chunk, chunk + count), X first copied into the panel if there is one. */
  const blocks = (count: number): Expr[] => {
    const fullBlocks = Math.floor(O / ROWS);
    return [
      ...(panel === undefined ? [] : emitPanel(fn, i32.add(g.x, get(chunk)), g.xStride, K, count, panel)),
      set(block, g.weights),
      ...(g.bias === undefined ? [] : [set(blockBias, g.bias)]),
      set(blocksEnd, i32.add(get(block), i32.const(fullBlocks * blockBytes))),
      set(yRow, i32.const(0)),
      ...(fullBlocks > 0 ? [doWhile([...tiles(ROWS, count), bump(block, blockBytes), ...(g.bias === undefined ? [] : [bump(blockBias, 4 * ROWS)]), bump(yRow, ROWS * rowBytes)],
        i32.ltU(get(block), get(blocksEnd)))] : []),
      ...(O % ROWS > 0 ? tiles(O % ROWS, count) : []),
    ];
  };

  const chunks = Math.floor(P / chunkPixels);
  const rest = P - chunks * chunkPixels;
  return [
    set(chunk, i32.const(0)),
    ...(chunks > 0 ? [doWhile([...blocks(chunkPixels), bump(chunk, 4 * chunkPixels)], i32.ltU(get(chunk), i32.const(4 * chunkPixels * chunks)))] : []),
    ...(rest > 0 ? blocks(rest) : []),
  ];
}
