// MTCNN on two threads (rmnet/mtcnn/parallel.ts, from the built dist/, as its worker loads compiled
// JavaScript): the same faces as one thread, to the last bit, on photos whose work is shared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, type Pixels } from '../io/image.js';
import { MODELS, MTCNN_DIR } from './helpers/shared.js';

const { FacePipeline } = await import(new URL('../dist/rmnet/pipeline.js', import.meta.url).href) as typeof import('../rmnet/pipeline.js');

/** The photo repeated nx times across and ny times down. */
function tiled(p: Pixels, nx: number, ny: number): Pixels {
  const width = p.width * nx, height = p.height * ny;
  const data = new Uint8Array(width * height * p.channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y % p.height) * p.width + (x % p.width)) * p.channels;
      for (let c = 0; c < p.channels; c++) data[(y * width + x) * p.channels + c] = p.data[from + c];
    }
  }
  return { width, height, channels: p.channels, data };
}

describe('FacePipeline with 2 threads', () => {
  let one: import('../rmnet/pipeline.js').FacePipeline;
  let two: import('../rmnet/pipeline.js').FacePipeline;
  const photos: Record<string, Pixels> = {};
  beforeAll(async () => {
    [one, two] = await Promise.all([FacePipeline.load({ models: MODELS, device: 'simd' }), FacePipeline.load({ models: MODELS, device: 'simd', threads: 2 })]);
    photos.test1 = await readImage(`${MTCNN_DIR}test1.jpg`);
    photos.test2 = await readImage(`${MTCNN_DIR}test2.jpg`);
    photos['test1 tiled 2x2'] = tiled(photos.test1, 2, 2);
  });
  afterAll(() => two?.close());

  for (const name of ['test1', 'test2', 'test1 tiled 2x2']) {
    it(`${name}: the faces one thread finds`, async () => {
      const want = await one.detect(photos[name]);
      expect(want.length).toBeGreaterThan(0);
      expect(await two.detect(photos[name])).toEqual(want);
      expect(await two.detect(photos[name], { minFaceSize: 40, refineLandmarks: false })).toEqual(await one.detect(photos[name], { minFaceSize: 40, refineLandmarks: false }));
    });
  }

  it('embeds them too, and reports bad input as one thread does', async () => {
    const [a, b] = [await one.faces(photos.test1), await two.faces(photos.test1)];
    expect(b.faces.map((f) => Array.from(f.embedding))).toEqual(a.faces.map((f) => Array.from(f.embedding)));
    const bad = { ...photos.test2, width: photos.test2.width + 1 };
    await expect(two.detect(bad)).rejects.toThrow(/FaceDetector.detect: 451x431x[34] pixels need \d+ samples, got \d+/);
    expect(await two.detect(photos.test2)).toEqual(await one.detect(photos.test2)); // still in step after the error
  });

  it('refuses other thread counts', async () => {
    await expect(FacePipeline.load({ models: MODELS, threads: 3 })).rejects.toThrow(/threads must be 1 or 2, got 3/);
  });
});
