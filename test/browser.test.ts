// Issue 6: the page in a real browser. Builds web/ (web/build.mjs, into a temp folder of its own,
// so runs side by side do not share files), serves it with web/serve.mjs on 127.0.0.1, opens it in Debian's Chromium (never a downloaded browser) through playwright-core,
// and checks, through the page's test hook, that the 9 reference inputs embed to the published
// embeddings on each device; then uses the page once as a person would (open photos, see the
// face found, compare, enroll) and saves a screenshot (to a temp folder and web/dist/page.png;
// page-threads.png with two threads picked).
// Without Chromium every test here fails, saying how to install it.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../rmnet/embedder.js';
import { FACES, facePath, MTCNN_DIR, publishedEmbeddings } from './helpers/shared.js';
import { startPage } from '../web/chromium.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The devices whose reference embeddings are checked, and the bar each must reach. */
const DEVICES = ['cpu', 'simd', 'webgl2', 'webgpu'];
const MIN_COSINE = 0.9999;
/** Devices timed warm (a warm-up run first). On SwiftShader the GPU devices take seconds a face,
 *  so they run the 9 faces once, the first one compiling the net, to keep this file near 2 minutes. */
const WARM_UP = new Set(['cpu', 'simd']);

interface Hooked {
  facereid: {
    ready: Promise<void>;
    devices(): Promise<{ device: string; available: boolean; reason?: string; relaxedSimd?: boolean }[]>;
    embedReference(device: string, options?: { warmUp?: boolean }): Promise<{ embeddings: number[][]; ms: number; firstMs?: number }>;
    processPhoto(bytes: number[], device: string, threads: 1 | 2): Promise<{ boxes: number[][]; embeddings: number[][]; detectMs: number; embedMs: number }>;
  };
}

describe('the page in Chromium', () => {
  let setupError: Error | undefined;
  let page: Page;
  let close: (() => Promise<void>) | undefined;
  let work = '';
  const pageErrors: string[] = [];

  /** Every test fails, with the reason, when the browser could not be started. */
  const ready = () => {
    if (setupError) throw setupError;
    return page;
  };

  beforeAll(async () => {
    try {
      // Builds web/ into a temp folder, serves it, opens it in Chromium, waits for the hook (web/chromium.mjs).
      const started = await startPage({
        onPage: (p: Page) => {
          p.on('pageerror', (error) => pageErrors.push(error.message));
          p.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
        },
      }) as { page: Page; work: string; close: () => Promise<void> };
      ({ page, work, close } = started);
    } catch (error) {
      setupError = error as Error;
    }
  });

  afterAll(async () => {
    await close?.(); // removes the build and the profile; the screenshot stays, in `work`
  });

  it('loads the models and lists the devices it can run', async () => {
    const devices = await ready().evaluate(() => (window as unknown as Hooked).facereid.devices());
    console.log(`devices: ${devices.map((d) => (d.available ? d.device : `${d.device} (no: ${d.reason})`)).join(', ')}`);
    console.log(await page.evaluate(async () => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const adapter = await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> } })
        .gpu?.requestAdapter();
      return `WebGL 2: ${gl ? `${gl.getParameter(gl.RENDERER)}, max texture ${gl.getParameter(gl.MAX_TEXTURE_SIZE)}` : 'none'}; ` +
        `WebGPU adapter: ${adapter ? `${adapter.info?.vendor} ${adapter.info?.architecture}` : 'none'}`;
    }));
    expect(devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    // Chromium has relaxed SIMD (since 114): the simd device uses it and the Device control says so.
    expect(devices.find((d) => d.device === 'simd')).toMatchObject({ available: true, relaxedSimd: true });
    expect(await page.locator('#device option[value="simd"]').textContent()).toBe('simd (relaxed SIMD)');
  });

  const published = publishedEmbeddings();
  for (const device of DEVICES) {
    it(`${device}: the 9 reference inputs embed to cosine >= ${MIN_COSINE} of the published embeddings`, async () => {
      const devices = await ready().evaluate(() => (window as unknown as Hooked).facereid.devices());
      const info = devices.find((d) => d.device === device);
      if (!info?.available) throw new Error(`device ${device} is not available in the page: ${info?.reason ?? 'not offered'}`);
      const run = await page.evaluate(([d, warmUp]) => (window as unknown as Hooked).facereid.embedReference(d, { warmUp }),
        [device, WARM_UP.has(device)] as const);
      const cosines = run.embeddings.map((e, i) => cosine(e, published[i]));
      const worst = Math.min(...cosines);
      const timing = run.firstMs === undefined ? 'the first compiling the net'
        : `warm; the warm-up (compiling, one face) took ${run.firstMs.toFixed(0)} ms`;
      console.log(`${device}: worst cosine ${worst.toFixed(8)} = 1 - ${(1 - worst).toExponential(1)} (${FACES[cosines.indexOf(worst)]}); ` +
        `9 faces one at a time in ${run.ms.toFixed(0)} ms, ${(run.ms / FACES.length).toFixed(1)} ms/face, ${timing}`);
      expect(run.embeddings).toHaveLength(FACES.length);
      for (const [i, c] of cosines.entries()) expect(c, `${device}, face ${FACES[i]}`).toBeGreaterThanOrEqual(MIN_COSINE);
    });
  }

  it('UI: opens photos, shows the face found and its crop, compares two, enrolls a name', async () => {
    const p = ready();
    pageErrors.length = 0; // only what this test causes (a device's failure above is its own test's)
    const photo = (name: string) => p.locator('article.photo', { has: p.locator('.name', { hasText: name }) });
    const verdict = p.locator('#verdict');

    await p.setInputFiles('#files', facePath('0_0'));
    await expect.poll(() => photo('0_0.jpg').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await photo('0_0.jpg').getAttribute('data-faces')).toBe('1');
    expect(await photo('0_0.jpg').locator('.face canvas.crop').count()).toBe(1);
    expect(await photo('0_0.jpg').locator('.face .label').textContent()).toMatch(/ID_0 \(new\)/);

    await p.setInputFiles('#files', facePath('0_1'));
    await expect.poll(() => photo('0_1.jpg').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await verdict.getAttribute('data-verdict')).toBe('same');
    const same = Number(await verdict.getAttribute('data-cosine'));
    expect(await photo('0_1.jpg').locator('.face .label').textContent()).toMatch(/ID_0 0\.\d\d/); // re-identified

    await p.setInputFiles('#files', facePath('1_0'));
    await expect.poll(() => photo('1_0.jpg').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await verdict.getAttribute('data-verdict')).toBe('different');
    const different = Number(await verdict.getAttribute('data-cosine'));

    // Naming the face of 0_0 folds ID_0 into "Alice": the same person in 0_1 is now Alice too.
    await photo('0_0.jpg').locator('.face input[name="name"]').fill('Alice');
    await photo('0_0.jpg').locator('.face form.enroll button').click();
    expect(await photo('0_1.jpg').locator('.face .label').textContent()).toMatch(/Alice 0\.\d\d/);
    expect(await p.locator('#identities li .name').allTextContents()).toEqual(['ID_1', 'Alice']);
    // ID_0 held this very face: Alice has it once.
    expect(await p.locator('#identities li', { hasText: 'Alice' }).locator('.small').textContent()).toBe('1 face');

    // The page as a person sees it now (README's picture comes from here).
    const shot = join(work, 'page.png');
    await p.screenshot({ path: shot, fullPage: true });
    mkdirSync(join(ROOT, 'web', 'dist'), { recursive: true });
    copyFileSync(shot, join(ROOT, 'web', 'dist', 'page.png'));
    console.log(`screenshot: ${shot} and web/dist/page.png`);

    // Photos chosen together appear in the order chosen, above the earlier ones.
    await p.setInputFiles('#files', [facePath('2_0'), facePath('2_1')]);
    await expect.poll(() => photo('2_1.jpg').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect((await p.locator('article.photo .name').allTextContents()).slice(0, 3)).toEqual(['2_0.jpg', '2_1.jpg', '1_0.jpg']);

    // A file that is not a photo: its name once, in the status line and on its card.
    await p.setInputFiles('#files', { name: 'bogus.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') });
    await expect.poll(() => photo('bogus.jpg').getAttribute('data-state'), { timeout: 30_000 }).toBe('error');
    const error = await p.locator('#status').textContent();
    expect(error).toMatch(/^bogus\.jpg: not a JPEG or PNG image/);
    expect(error!.split('bogus.jpg')).toHaveLength(2);
    expect(await photo('bogus.jpg').locator('.info').textContent()).toMatch(/^not a JPEG or PNG image/);
    console.log(`UI: 0_0 vs 0_1 cosine ${same.toFixed(4)} (same person), 0_0 vs 1_0 ${different.toFixed(4)} (different); ` +
      `timings: ${(await p.locator('#timing-rows').innerText()).replace(/\s+/g, ' ')}`);

    expect(pageErrors).toEqual([]);
  });

  it('the workers\' bundles leave out the Caffe importer and protobufjs (a worker is sent graphs already imported)', () => {
    ready();
    const meta = JSON.parse(readFileSync(join(work, 'dist', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    for (const name of ['detector-worker.js', 'pool-worker.js', 'main.js']) {
      const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(`/${name}`));
      expect(output, name).toBeDefined();
      const importer = Object.keys(output![1].inputs).filter((file) => /^(node_modules\/protobufjs|importer\/caffe)\//.test(file));
      if (name === 'main.js') expect(importer.length, 'the page imports the Caffe files itself').toBeGreaterThan(0);
      else expect(importer, name).toEqual([]);
    }
  });

  it('two threads: Web Workers share the detection and the embedding, with the same faces and embeddings as one thread', async () => {
    const p = ready();
    pageErrors.length = 0;
    const bytes = [...readFileSync(`${MTCNN_DIR}test1.jpg`)];
    const run = (threads: 1 | 2) => p.evaluate(([b, t]) => (window as unknown as Hooked).facereid.processPhoto(b, 'simd', t), [bytes, threads] as const);
    const one = await run(1);
    const two = await run(2);
    // The page started the two workers beside main.js (web/models.ts), and they did their share.
    const workers = p.workers().map((w) => w.url().split('/').pop()).sort();
    expect(workers).toEqual(['detector-worker.js', 'pool-worker.js']);
    expect(one.boxes.length).toBeGreaterThanOrEqual(2);
    expect(two.boxes).toEqual(one.boxes); // the same cascade, split: the same numbers
    for (const [i, e] of two.embeddings.entries()) expect(cosine(Float32Array.from(e), Float32Array.from(one.embeddings[i])), `face ${i}`).toBeGreaterThanOrEqual(0.999999);
    const again = [await run(1), await run(2), await run(1), await run(2)];
    const ms = (r: typeof one) => `${r.detectMs.toFixed(0)} + ${r.embedMs.toFixed(0)} ms`;
    console.log(`test1.jpg on simd, detect + embed: 1 thread ${ms(again[0])}, ${ms(again[2])}; 2 threads ${ms(again[1])}, ${ms(again[3])}`);

    // The control: 2 threads picked in the page, a photo opened, its timings row named for them.
    await p.selectOption('#device', 'simd');
    await p.selectOption('#threads', '2');
    await p.setInputFiles('#files', `${MTCNN_DIR}test1.jpg`);
    const card = p.locator('article.photo', { has: p.locator('.name', { hasText: 'test1.jpg' }) });
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await card.locator('.info').textContent()).toMatch(/\(simd ×2\)/);
    expect(await p.locator('#timing-rows tr.current td').first().textContent()).toBe('simd ×2');
    await p.screenshot({ path: join(work, 'page-threads.png'), fullPage: true });
    copyFileSync(join(work, 'page-threads.png'), join(ROOT, 'web', 'dist', 'page-threads.png'));
    await p.selectOption('#threads', '1');
    expect(pageErrors).toEqual([]);

    // Until one is chosen: 2 threads where the browser reports 4 cores or more, else 1; a choice made is kept.
    for (const [cores, want] of [[8, '2'], [2, '1']] as const) {
      await p.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true }), cores);
      await p.evaluate(() => localStorage.removeItem('facereid.threads'));
      await p.reload();
      await p.evaluate(() => (window as unknown as Hooked).facereid.ready);
      expect(await p.inputValue('#threads'), `${cores} cores`).toBe(want);
    }
    await p.selectOption('#threads', '2');
    await p.reload();
    await p.evaluate(() => (window as unknown as Hooked).facereid.ready);
    expect(await p.inputValue('#threads'), 'chosen before, on 2 cores').toBe('2');
    expect(pageErrors).toEqual([]);
  });
});
