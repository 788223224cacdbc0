// P-Net in tiles (rmnet/mtcnn/tiles.ts): a pyramid level run as tiles of a few fixed sizes gives
// the maps, and so the proposals, of one run on the whole level — odd sides (Caffe's ceil
// pooling), levels smaller and larger than the largest tile — on every synchronous device. Each
// cell is computed from the same pixels by the same weights, but not bit for bit by the same
// operations: P-Net's 3x3 convolutions of 10 and 16 channels run by Winograd's F(2x2, 3x3)
// (lower/winograd.ts), whose rounding depends on where an output falls in its 2x2 tile, and a
// tile's grid starts where the tile does. So the maps agree to float32 rounding (1e-5 of the
// map's largest value; a cell taken from the wrong place or tile would be off by ~0.1 to 1).
import { beforeAll, describe, expect, it } from 'vitest';
import { backendFor } from '../engine/devices.js';
import type { Graph } from '../engine/graph/graph.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { Boxes } from '../rmnet/mtcnn/boxes.js';
import { MtcnnNet } from '../rmnet/mtcnn/nets.js';
import { proposals } from '../rmnet/mtcnn/pyramid.js';
import { axisTiles, cellsAlong, runTiled, type TileFill } from '../rmnet/mtcnn/tiles.js';
import { MTCNN_DIR } from './helpers/shared.js';

const NAMES = { prob: 'prob1', offsets: 'conv4-2' };

describe('axisTiles', () => {
  it('covers every cell of a side exactly once, each from a tile whose window holds it', () => {
    for (let n = 12; n <= 1200; n++) {
      const tiles = axisTiles(n);
      const cells = cellsAlong(n);
      expect(tiles[0].firstCell, `side ${n}`).toBe(0);
      tiles.forEach((tile, j) => {
        const until = tiles[j + 1]?.firstCell ?? cells;
        expect(Math.abs(tile.start) % 2, `side ${n}, tile ${j}: even start`).toBe(0);
        expect(until, `side ${n}, tile ${j}: supplies cells`).toBeGreaterThan(tile.firstCell);
        // The tile's own cells (start / 2 …) hold those it supplies; only the last may reach past
        // the level, and it ends exactly at the edge with the level's parity.
        expect(tile.start / 2, `side ${n}, tile ${j}`).toBeLessThanOrEqual(tile.firstCell);
        if (j < tiles.length - 1) {
          expect(tile.size % 2, `side ${n}, inner tile ${j}: even`).toBe(0);
          expect(tile.start / 2 + (tile.size - 10) / 2, `side ${n}, inner tile ${j}: its whole windows`).toBeGreaterThanOrEqual(until);
        } else {
          expect(tile.start + tile.size, `side ${n}: the last tile ends at the edge`).toBe(n);
        }
      });
    }
  });

  it('uses few sizes: the largest tiles inside, and wastes little of a large side', () => {
    const sizes = new Set<number>();
    for (let n = 12; n <= 2000; n++) axisTiles(n).forEach((t) => sizes.add(t.size));
    expect(sizes.size).toBeLessThanOrEqual(36);
    const tiled = axisTiles(1151).reduce((sum, t) => sum + t.size, 0);
    expect(tiled / 1151).toBeLessThan(1.1);
  });

  it('refuses a side without a window', () => {
    expect(() => axisTiles(11)).toThrow(/a side of 11 pixels holds no 12-pixel window/);
  });
});

/** Every value of `actual` within 1e-5 of `expected`'s largest magnitude (at least 1) of its counterpart. */
function expectClose(actual: Float32Array | Float64Array, expected: Float32Array | Float64Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const bound = 1e-5 * Math.max(1, ...Array.from(expected, (v) => Math.abs(v)));
  let worst = 0, at = -1;
  actual.forEach((v, i) => {
    const error = Math.abs(v - expected[i]);
    if (!(error <= worst)) [worst, at] = [error, i];
  });
  expect(worst, `${what}: value ${at} is ${actual[at]}, expected ${expected[at]}`).toBeLessThanOrEqual(bound);
}

/** A tile's input copied from a level held whole ([3, width, height]), zeros past its edges. */
const tileOf = (level: Float32Array, width: number, height: number): TileFill => (input, x0, y0, tileWidth, tileHeight) => {
  for (let c = 0; c < 3; c++) {
    for (let x = 0; x < tileWidth; x++) {
      for (let y = 0; y < tileHeight; y++) {
        const [lx, ly] = [x0 + x, y0 + y];
        const inside = lx >= 0 && lx < width && ly >= 0 && ly < height;
        input[(c * tileWidth + x) * tileHeight + y] = inside ? level[(c * width + lx) * height + ly] : 0;
      }
    }
  }
};

describe('P-Net in tiles equals P-Net on the whole level', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await loadCaffe(`${MTCNN_DIR}det1.prototxt`, `${MTCNN_DIR}det1.caffemodel`);
  });
  // [width, height]: the smallest level; odd and even sides; larger than one tile; both.
  const levels: [number, number][] = [[12, 12], [13, 17], [31, 44], [45, 33], [257, 12], [300, 301], [611, 95]];

  for (const device of ['cpu', 'simd'] as const) {
    it(`maps and proposals, on ${device}`, async () => {
      const net = new MtcnnNet(graph, Object.values(NAMES), await backendFor(device));
      let seed = 3;
      const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      for (const [width, height] of levels) {
        const level = Float32Array.from({ length: 3 * width * height }, () => 2 * rnd() - 1);
        const [mapWidth, mapHeight] = [cellsAlong(width), cellsAlong(height)];
        const cells = mapWidth * mapHeight;
        const scores = new Float32Array(cells), offsets = new Float32Array(4 * cells);
        runTiled(net, NAMES, tileOf(level, width, height), width, height, scores, offsets);

        const shape = [1, 3, width, height];
        expect(net.outputShape(shape, NAMES.prob), `${width}x${height}`).toEqual([1, 2, mapWidth, mapHeight]);
        const whole = net.run(shape, (input) => input.set(level));
        const where = `${width}x${height} on ${device}`;
        expectClose(scores, whole[NAMES.prob].subarray(cells), `scores, ${where}`);
        expectClose(offsets, whole[NAMES.offsets], `offsets, ${where}`);

        // The proposals above a threshold that keeps about a third of the cells, halfway between
        // two scores further apart than the maps' differences: the same boxes.
        const sorted = [...scores].sort((a, b) => a - b);
        let k = Math.floor((2 * cells) / 3);
        while (k + 1 < cells && sorted[k + 1] - sorted[k] < 1e-4) k++;
        const threshold = (sorted[k] + sorted[Math.min(k + 1, cells - 1)]) / 2;
        const [tiled, direct] = [new Boxes(), new Boxes()];
        proposals(scores, offsets, mapWidth, mapHeight, 0.5, 0.5, threshold, tiled);
        proposals(whole[NAMES.prob].subarray(cells), whole[NAMES.offsets], mapWidth, mapHeight, 0.5, 0.5, threshold, direct);
        expect(tiled.count, where).toBe(direct.count);
        expectClose(tiled.records.subarray(0, tiled.at(tiled.count)), direct.records.subarray(0, direct.at(direct.count)), `boxes, ${where}`);
      }
    });
  }
});
