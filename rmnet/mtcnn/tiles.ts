// P-Net over one pyramid level, in tiles of a few fixed sizes, so every photo size reuses the
// same compiled shapes (and their memory stays small: a tile's, not a level's).
//
// P-Net is fully convolutional and unpadded: its output cell i looks at the 12 input pixels from
// 2i (conv 3x3, max-pool 2x2/2, conv 3x3, conv 3x3), so a tile computes exactly the cells whose
// windows lie inside it. One exception, Caffe's pooling rounds its output size up: on an odd
// side the last pooling window hangs one column past the input and takes the maximum of the one
// column it has. A level of odd side n therefore has a last cell (window n - 11 … n) that a
// larger input would compute differently. So tiles keep the level's parity and the last tile ends
// exactly at the level's edge; a tile larger than the level starts before it (padding on the
// left/top only adds cells whose windows start outside the level, which are dropped), and an
// inner tile of odd size leaves its last cell to the next tile. And every tile starts on a
// multiple of 4 pixels: P-Net's 3x3 convolutions after the pooling run by Winograd's F(2x2, 3x3)
// (engine/lower/winograd.ts), whose rounding depends on an output's place in its 2x2 tile, and
// a tile starting at 4k puts those tiles where a whole level's are. Cells then come out of the
// tiles exactly as from one run on the whole level.

import type { MtcnnNet } from './nets.js';
import { STRIDE, WINDOW } from './pyramid.js';

/** Tile sides (even; the tile at a level's edge takes one more on an odd side, and two more when
 *  its start rounds down to a multiple of 4). Inner tiles are the largest. */
const SIDES = [12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256];
const LARGEST = SIDES[SIDES.length - 1];

/** P-Net's output cells along a side of n pixels (n >= 12): ceil((n - 2) / 2) after pooling, less 4. */
export const cellsAlong = (n: number) => Math.floor((n - 1) / 2) - 4;

/** The cells an inner tile of even side t supplies: those whose windows lie inside it. */
const innerCells = (t: number) => (t - WINDOW) / STRIDE + 1;

/** One tile along a side: where it starts (a multiple of 4; negative when it reaches before the level) and its size. */
export interface Tile {
  start: number;
  size: number;
  /** The first cell of the side it supplies (it supplies cells up to the next tile's first). */
  firstCell: number;
}

/**
 * How a side of n pixels is cut into tiles: inner tiles of the largest size from the start, each
 * supplying its inner cells (an even number of them, so the next starts on a multiple of 4),
 * then one tile ending at the edge (of n's parity) for the rest — the smallest that holds them,
 * its start rounded down to a multiple of 4 — or, when the side fits in one tile, that tile alone.
 */
export function axisTiles(n: number): Tile[] {
  if (!(Number.isInteger(n) && n >= WINDOW)) throw new RangeError(`P-Net tiles: a side of ${n} pixels holds no ${WINDOW}-pixel window`);
  const cells = cellsAlong(n);
  const parity = n % 2;
  const tiles: Tile[] = [];
  let done = 0;
  while (cells - done > cellsAlong(LARGEST + parity)) {
    tiles.push({ start: STRIDE * done, size: LARGEST, firstCell: done });
    done += 2 * Math.floor(innerCells(LARGEST) / 2);
  }
  const start = 4 * Math.floor((n - parity - SIDES.find((t) => cellsAlong(t + parity) >= cells - done)!) / 4);
  tiles.push({ start, size: n - start, firstCell: done });
  return tiles;
}

/** The names of P-Net's outputs read here. */
export interface PnetOutputs {
  prob: string;
  offsets: string;
}

/**
 * Writes the part of a level under a tile, columns x … x + width - 1 and rows y … y + height - 1,
 * into the tile's input ([3, width, height], transposed as crops are); zeros where the tile
 * reaches past the level (x or y < 0, or a level smaller than the tile).
 */
export type TileFill = (input: Float32Array, x: number, y: number, width: number, height: number) => void;

/**
 * Runs P-Net on a width x height level tile by tile, each tile's input written by `fill`, and
 * gathers the face probability of every cell into `scores` [cellsX, cellsY] and its regression
 * into `offsets` [4, cellsX, cellsY] — both as one run on the whole level would lay them out.
 */
export function runTiled(net: MtcnnNet, names: PnetOutputs, fill: TileFill, width: number, height: number,
  scores: Float32Array, offsets: Float32Array): void {
  const across = axisTiles(width), down = axisTiles(height);
  const mapWidth = cellsAlong(width), mapHeight = cellsAlong(height);
  const cells = mapWidth * mapHeight;
  if (scores.length < cells || offsets.length < 4 * cells) {
    throw new RangeError(`P-Net tiles: a ${mapWidth}x${mapHeight} map overruns buffers of ${scores.length} and ${offsets.length}`);
  }
  across.forEach((x, i) => down.forEach((y, j) => {
    const out = net.run([1, 3, x.size, y.size], (input) => fill(input, x.start, y.start, x.size, y.size));
    const prob = out[names.prob], regression = out[names.offsets];
    const tileHeight = cellsAlong(y.size), tileCells = cellsAlong(x.size) * tileHeight;
    const fromY = y.firstCell, toY = down[j + 1]?.firstCell ?? mapHeight;
    // Tile cell (u, v) is level cell (start / 2 + u, start / 2 + v).
    for (let cx = x.firstCell; cx < (across[i + 1]?.firstCell ?? mapWidth); cx++) {
      const tile = (cx - x.start / STRIDE) * tileHeight - y.start / STRIDE;
      const map = cx * mapHeight;
      for (let cy = fromY; cy < toY; cy++) scores[map + cy] = prob[tileCells + tile + cy]; // channel 1: face
      for (let k = 0; k < 4; k++) {
        for (let cy = fromY; cy < toY; cy++) offsets[k * cells + map + cy] = regression[k * tileCells + tile + cy];
      }
    }
  }));
}
