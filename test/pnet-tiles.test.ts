// P-Net in tiles (rmnet/mtcnn/tiles.ts): a pyramid level run as tiles of a few fixed sizes gives
// exactly the maps, and so the proposals, of one run on the whole level — odd sides (Caffe's
// ceil pooling), levels smaller and larger than the largest tile — on every synchronous device.
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
        expect(Math.abs(tile.start) % 4, `side ${n}, tile ${j}: a start on a multiple of 4 (Winograd's 2x2 tiles where a whole level's are)`).toBe(0);
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
    // 18 sides, each of the four sizes it can take at a level's edge (its parity, and 2 more when
    // the start rounds down to a multiple of 4).
    const sizes = new Set<number>();
    for (let n = 12; n <= 2000; n++) axisTiles(n).forEach((t) => sizes.add(t.size));
    expect(sizes.size).toBeLessThanOrEqual(72);
    const tiled = axisTiles(1151).reduce((sum, t) => sum + t.size, 0);
    expect(tiled / 1151).toBeLessThan(1.1);
  });

  it('refuses a side without a window', () => {
    expect(() => axisTiles(11)).toThrow(/a side of 11 pixels holds no 12-pixel window/);
  });
});

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
        expect(Array.from(scores), `scores, ${where}`).toEqual(Array.from(whole[NAMES.prob].subarray(cells)));
        expect(Array.from(offsets), `offsets, ${where}`).toEqual(Array.from(whole[NAMES.offsets]));

        // The proposals above a threshold that keeps about a third of the cells: the same boxes.
        const threshold = [...scores].sort((a, b) => a - b)[Math.floor((2 * cells) / 3)];
        const [tiled, direct] = [new Boxes(), new Boxes()];
        proposals(scores, offsets, mapWidth, mapHeight, 0.5, 0.5, threshold, tiled);
        proposals(whole[NAMES.prob].subarray(cells), whole[NAMES.offsets], mapWidth, mapHeight, 0.5, 0.5, threshold, direct);
        expect(tiled.count, where).toBe(direct.count);
        expect(tiled.records.subarray(0, tiled.at(tiled.count)), where).toEqual(direct.records.subarray(0, direct.at(direct.count)));
      }
    });
  }
});
