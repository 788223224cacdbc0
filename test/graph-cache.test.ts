// The cache of imported graphs (importer/graph-cache.ts): a model file is imported once per key and
// read back after as the same graph; the key changes with the files, the options and where they
// lie; a damaged entry is imported again; a failed import stores nothing.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph/graph.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { decodeGraph, encodeGraph } from '../importer/graph-cache.js';
import { loadOpenVino } from '../importer/openvino/index.js';
import { MTCNN_DIR, RMNET_DIR } from './helpers/shared.js';

const temp = (what: string) => mkdtempSync(join(tmpdir(), `facereid-graph-cache-${what}-`));
const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.graph'));
const DET1 = [join(MTCNN_DIR, 'det1.prototxt'), join(MTCNN_DIR, 'det1.caffemodel')] as const;
const IR = join(RMNET_DIR, 'FP32', 'face-reidentification-retail-0001.xml');

let dir: string;
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.FACEREID_CACHE;
  process.env.FACEREID_CACHE = dir = temp('folder');
});
afterEach(() => {
  process.env.FACEREID_CACHE = saved;
});

/** The same model imported with the cache off. */
async function fresh(load: () => Promise<Graph>): Promise<Graph> {
  process.env.FACEREID_CACHE = 'off';
  try {
    return await load();
  } finally {
    process.env.FACEREID_CACHE = dir;
  }
}

describe('loadCaffe and loadOpenVino through the cache', () => {
  it('import once, then read back the same graph, weights included', async () => {
    for (const load of [() => loadCaffe(...DET1), () => loadOpenVino(IR)]) {
      const before = entries(dir).length;
      const first = await load();
      expect(entries(dir)).toHaveLength(before + 1);
      const again = await load();
      expect(entries(dir)).toHaveLength(before + 1);
      expect(again).not.toBe(first);
      expect(again).toEqual(await fresh(load));
      expect(again).toEqual(first);
    }
  });

  it('a damaged entry is imported again and rewritten', async () => {
    const expected = await fresh(() => loadCaffe(...DET1));
    await loadCaffe(...DET1);
    const [name] = entries(dir);
    const bytes = readFileSync(join(dir, name));
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(join(dir, name), bytes);
    expect(await loadCaffe(...DET1)).toEqual(expected);
    expect(entries(dir)).toEqual([name]);
    expect(readFileSync(join(dir, name))).not.toEqual(bytes);
  });

  it('another file, place or limit is another entry; a refused import stores nothing', async () => {
    const copies = temp('models');
    const [prototxt, caffemodel] = DET1.map((file) => join(copies, file.slice(MTCNN_DIR.length)));
    DET1.forEach((file, i) => copyFileSync(file, [prototxt, caffemodel][i]));
    await loadCaffe(...DET1);
    const copied = await loadCaffe(prototxt, caffemodel);
    expect(entries(dir)).toHaveLength(2);
    expect(copied).toEqual(await loadCaffe(...DET1));

    // A changed file: a new key, and what changed read.
    writeFileSync(prototxt, readFileSync(prototxt, 'utf8').replace(/^name: "(\w+)"/m, 'name: "$1 changed"'));
    const changed = await loadCaffe(prototxt, caffemodel);
    expect(changed.name).toMatch(/ changed$/);
    expect(changed).toEqual(await fresh(() => loadCaffe(prototxt, caffemodel)));
    expect(entries(dir)).toHaveLength(3);

    // Limits are checked by the import: a cached graph is not a way around them.
    await expect(loadCaffe(prototxt, caffemodel, { limits: { layers: 2 } })).rejects.toThrow(/layers/);
    expect(entries(dir)).toHaveLength(3);
  });

  it('a missing file is the importer\'s error, not the cache\'s', async () => {
    await expect(loadCaffe(join(MTCNN_DIR, 'nothing.prototxt'), DET1[1])).rejects.toThrow(/cannot read Caffe prototxt .*nothing\.prototxt: no such file/);
    expect(entries(dir)).toEqual([]);
  });
});

describe('an entry', () => {
  it('holds numbers JSON has no words for, and views its floats', () => {
    const graph = {
      name: 'odd', inputs: [{ name: 'x', shape: [1, 3] }], outputs: ['y'],
      nodes: [{ op: 'clamp', name: 'c', inputs: ['x'], outputs: ['y'], min: -Infinity, max: Infinity, at: -0, gap: NaN, w: Float32Array.of(1, -0, 3) }],
    } as unknown as Graph;
    const bytes = encodeGraph(graph)!;
    const back = decodeGraph(bytes)!;
    expect(back).toEqual(graph);
    const node = back.nodes[0] as unknown as { at: number; w: Float32Array };
    expect(Object.is(node.at, -0)).toBe(true);
    expect(node.w.buffer).toBe(bytes.buffer);
    // Read from an odd offset the floats are copied once, with the same values.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeGraph(shifted.subarray(1))).toEqual(graph);
  });

  it('is refused, not misread, when cut short or not one', () => {
    const bytes = encodeGraph({ name: 'g', inputs: [], outputs: [], nodes: [] })!;
    expect(decodeGraph(bytes.subarray(0, 3))).toBeUndefined();
    expect(decodeGraph(Uint8Array.of(255, 255, 255, 255, 1))).toBeUndefined();
    expect(encodeGraph({ name: 'g', inputs: [], outputs: [], nodes: [], map: new Map() } as unknown as Graph)).toBeUndefined();
  });
});
