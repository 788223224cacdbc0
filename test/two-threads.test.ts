// Two threads (from the built dist/, as workers load compiled JavaScript): MTCNN sharing each
// stage with a worker (rmnet/mtcnn/parallel.ts) and the embedder handing half of each run to
// another (Embedder's threads) give what one thread gives, to the last bit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, type Pixels } from '../io/image.js';
import { MODELS, MTCNN_DIR } from './helpers/shared.js';

const { FacePipeline } = await import(new URL('../dist/rmnet/pipeline.js', import.meta.url).href) as typeof import('../rmnet/pipeline.js');
const { Embedder } = await import(new URL('../dist/rmnet/embedder.js', import.meta.url).href) as typeof import('../rmnet/embedder.js');
const { createSimdBackend } = await import(new URL('../dist/engine/backends/simd.js', import.meta.url).href) as typeof import('../engine/backends/simd.js');

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

  it('detectEach (the tracker\'s windows): the worker takes the first half whole, the faces are each image\'s own', async () => {
    const images = [photos.test1, photos.test2, photos.test1, photos.test2, photos.test1];
    for (const count of [0, 1, 2, 5]) {
      const want = images.slice(0, count).map((image) => one.detector.detect(image, { minFaceSize: 40 }));
      expect(await one.detectEach(images.slice(0, count), { minFaceSize: 40 })).toEqual(want);
      expect(await two.detectEach(images.slice(0, count), { minFaceSize: 40 })).toEqual(want);
    }
    // The worker was sent the first two of five, before this thread began on the other three.
    type Spied = { worker: { ask(r: { type: string; images?: unknown[] }): unknown }; detector: { detect(...args: unknown[]): unknown } };
    const { worker, detector } = (two as unknown as { parallel: Spied }).parallel;
    const events: string[] = [];
    const [ask, detect] = [worker.ask, detector.detect];
    worker.ask = function (r) { events.push(`sent ${r.type} ${r.images?.length}`); return ask.call(this, r); };
    detector.detect = function (...args) { events.push('here'); return detect.apply(this, args); };
    try {
      await two.detectEach(images);
    } finally {
      Object.assign(worker, { ask });
      Object.assign(detector, { detect });
    }
    expect(events).toEqual(['sent detect 2', 'here', 'here', 'here']);
    // A whole cascade on the photo still follows a detectEach, and the other way round.
    const [whole, each] = await Promise.all([two.detect(photos.test1), two.detectEach([photos.test2, photos.test1])]);
    expect(whole).toEqual(await one.detect(photos.test1));
    expect(each).toEqual([one.detector.detect(photos.test2), one.detector.detect(photos.test1)]);
  });

  it('photos handed over together: each gets the faces and embeddings it gets alone', async () => {
    const names = ['test1', 'test2', 'test1 tiled 2x2', 'test2'];
    const alone = [];
    for (const name of names) alone.push(await one.faces(photos[name]));
    for (const pipeline of [one, two]) {
      const together = await Promise.all(names.map((name) => pipeline.faces(photos[name])));
      expect(together.map((r) => r.faces.map((f) => ({ ...f, embedding: Array.from(f.embedding) }))))
        .toEqual(alone.map((r) => r.faces.map((f) => ({ ...f, embedding: Array.from(f.embedding) }))));
    }
  });

  it('hands the worker its share before doing its own (both work at once)', async () => {
    // What the worker is asked and what this thread works on, in order.
    type Spied = { worker: { ask(r: { type: string; net?: string }): unknown }; detector: { work(w: { kind: string }): void; judge(net: string, ...rest: unknown[]): void } };
    const { worker, detector } = (two as unknown as { parallel: Spied }).parallel;
    const events: string[] = [];
    const [ask, work, judge] = [worker.ask, detector.work, detector.judge];
    worker.ask = function (r) { events.push(`sent ${r.type}${r.net ? ` ${r.net}` : ''}`); return ask.call(this, r); };
    detector.work = function (w) { events.push(`here ${w.kind}`); return work.call(this, w); };
    detector.judge = function (net, ...rest) { events.push(`here judge ${net}`); return judge.call(this, net, ...rest); };
    try {
      await two.detect(photos['test1 tiled 2x2']);
    } finally {
      Object.assign(worker, { ask });
      Object.assign(detector, { work, judge });
    }
    expect(events.slice(0, 6)).toEqual(['sent load', 'sent scales', 'here scales', 'sent judge det2', 'here judge det2', 'sent judge det3']);
  });

  it('a failure here while the worker\'s share fails too leaves no rejection unhandled', async () => {
    type Spied = { worker: { ask(): Promise<unknown> }; detector: { work(): void } };
    const { worker, detector } = (two as unknown as { parallel: Spied }).parallel;
    const [ask, work] = [worker.ask, detector.work];
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    worker.ask = () => Promise.reject(new Error('the worker failed'));
    detector.work = () => { throw new Error('this thread failed'); };
    try {
      await expect(two.detect(photos.test1)).rejects.toThrow('this thread failed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      Object.assign(worker, { ask });
      Object.assign(detector, { work });
      process.off('unhandledRejection', listen);
    }
    expect(unhandled).toEqual([]);
    expect(await two.detect(photos.test1)).toEqual(await one.detect(photos.test1)); // still in step after the failure
  });

  it('lets the process end without close()', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'facereid-parallel-')), 'no-close.mjs');
    writeFileSync(script, `const { FacePipeline } = await import(${JSON.stringify(new URL('../dist/rmnet/pipeline.js', import.meta.url).href)});
      const pipeline = await FacePipeline.load({ models: ${JSON.stringify(MODELS)}, device: 'simd', threads: 2 });
      console.log((await pipeline.faces(${JSON.stringify(`${MTCNN_DIR}test1.jpg`)})).faces.length);`);
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect([r.status, r.stdout.trim()]).toEqual([0, '2']);
  });

  it('refuses other thread counts', async () => {
    await expect(FacePipeline.load({ models: MODELS, threads: 3 })).rejects.toThrow(/threads must be 1 or 2, got 3/);
  });
});

describe('Embedder with 2 threads', () => {
  it('gives what one thread gives, bit for bit: any batch, with and without flip', async () => {
    const [one, two] = await Promise.all([Embedder.load({ models: MODELS, device: 'simd' }), Embedder.load({ models: MODELS, device: 'simd', threads: 2 })]);
    try {
      const plane = 3 * 128 * 128;
      const input = Float32Array.from({ length: 11 * plane }, (_, k) => 127.5 + 127.5 * Math.sin(k * 0.013 + Math.floor(k / plane)));
      for (const batch of [1, 2, 3, 11]) {
        for (const flip of [false, true]) {
          const tensor = input.subarray(0, batch * plane);
          const got = (await two.embedTensor(tensor, batch, flip)).map((e) => Array.from(e));
          expect(got, `batch ${batch}, flip ${flip}`).toEqual((await one.embedTensor(tensor, batch, flip)).map((e) => Array.from(e)));
        }
      }
    } finally {
      await two.close();
    }
  });

  it('runs started together give what each gives alone (one thread and two, flip on: the mirror images share one buffer)', async () => {
    const [one, two] = await Promise.all([Embedder.load({ models: MODELS, device: 'simd' }), Embedder.load({ models: MODELS, device: 'simd', threads: 2 })]);
    try {
      const plane = 3 * 128 * 128;
      const tensors = [3, 2, 1].map((batch, t) => Float32Array.from({ length: batch * plane }, (_, k) => 127.5 + 127.5 * Math.cos(k * 0.011 + t)));
      for (const embedder of [one, two]) {
        const alone = [];
        for (const tensor of tensors) alone.push((await embedder.embedTensor(tensor, tensor.length / plane, true)).map((e) => Array.from(e)));
        const together = await Promise.all(tensors.map((tensor) => embedder.embedTensor(tensor, tensor.length / plane, true)));
        expect(together.map((faces) => faces.map((e) => Array.from(e)))).toEqual(alone);
      }
    } finally {
      await two.close();
    }
  });

  it('without relaxed SIMD (the test setup has it on): the workers compile as this thread does, bit for bit', async () => {
    const plain = createSimdBackend({ relaxed: false });
    const [one, two, relaxed] = await Promise.all([FacePipeline.load({ models: MODELS, backend: plain }),
      FacePipeline.load({ models: MODELS, backend: plain, threads: 2 }), FacePipeline.load({ models: MODELS, device: 'simd' })]);
    try {
      const photo = await readImage(`${MTCNN_DIR}test1.jpg`);
      const faces = async (p: typeof one) => (await p.faces(photo)).faces.map((f) => ({ ...f, embedding: Array.from(f.embedding) }));
      const want = await faces(one);
      expect(await faces(two)).toEqual(want); // scores from the detector's worker, mirror images from the embedder's
      expect(await faces(relaxed)).not.toEqual(want); // which relaxed SIMD would not give
    } finally {
      await two.close();
    }
  });

  it('refuses other thread counts and devices without threads', async () => {
    await expect(Embedder.load({ models: MODELS, threads: 0 })).rejects.toThrow(/Embedder: threads must be 1 or 2, got 0/);
    await expect(Embedder.load({ models: MODELS, threads: 2, device: 'gpujs-cpu' })).rejects.toThrow(/Embedder: 2 threads need the cpu or simd device, not gpujs-cpu/);
  });
});
