// The worker pool (built dist/, as workers load compiled JavaScript): same outputs as one thread.
import { describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph/graph.js';
import { FACES, publishedEmbeddings, referenceInput, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from './helpers/shared.js';

const { createPool } = await import(new URL('../dist/engine/pool.js', import.meta.url).href) as typeof import('../engine/pool.js');
const { loadCaffe } = await import(new URL('../dist/importer/caffe/index.js', import.meta.url).href) as typeof import('../importer/caffe/index.js');

describe('worker pool', () => {
  for (const device of ['cpu', 'simd'] as const) {
    it(`${device}: 2 threads, batch 3 (uneven shares) reproduce the published embeddings`, async () => {
      const pool = await createPool({ graph: await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL), threads: 2, device });
      try {
        const names = [FACES[0], FACES[4], FACES[8]];
        const input = new Float32Array(3 * 3 * 128 * 128);
        names.forEach((name, i) => input.set(referenceInput(name), i * 3 * 128 * 128));
        const output = await pool.run(input, 3);
        expect(output.length).toBe(3 * 128);
        const published = publishedEmbeddings();
        names.forEach((name, i) => {
          const e = output.subarray(i * 128, (i + 1) * 128);
          const norm = Math.hypot(...e);
          const want = published[FACES.indexOf(name)];
          const c = e.reduce((s, v, k) => s + (v / norm) * want[k], 0);
          expect(c, name).toBeGreaterThanOrEqual(0.99999);
        });
      } finally {
        await pool.close();
      }
    });
  }

  it('overlapping runs each get their own outputs (each worker answers in order)', async () => {
    const pool = await createPool({ graph: await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL), threads: 2, device: 'simd' });
    try {
      const inputs = [[FACES[0], FACES[1]], [FACES[2], FACES[3], FACES[4]], [FACES[5]]].map((names) => {
        const input = new Float32Array(names.length * 3 * 128 * 128);
        names.forEach((name, i) => input.set(referenceInput(name), i * 3 * 128 * 128));
        return [input, names.length] as const;
      });
      const alone = [];
      for (const [input, batch] of inputs) alone.push(Array.from(await pool.run(input, batch)));
      const together = await Promise.all(inputs.map(([input, batch]) => pool.run(input, batch)));
      expect(together.map((o) => Array.from(o))).toEqual(alone);
    } finally {
      await pool.close();
    }
  });

  it('a graph that does not compile fails every worker with one clear error', async () => {
    const graph: Graph = { name: 'bad', inputs: [{ name: 'x', shape: [1, 2, 4, 4] }], outputs: ['y'],
      nodes: [{ name: 'relu', op: 'Relu', inputs: ['z'], outputs: ['y'], attrs: { negativeSlope: 0 }, weights: {} }] };
    await expect(createPool({ graph, threads: 2, device: 'cpu' })).rejects.toThrow("bad: layer 'relu' (Relu) reads 'z', which nothing produced before it");
  });

  it('asks for a graph, not a file name', async () => {
    await expect(createPool({ model: RMNET_PROTOTXT } as never)).rejects.toThrow('createPool needs { graph }');
  });
});
