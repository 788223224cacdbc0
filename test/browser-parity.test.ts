// The conformance suite's gpu.js problems (test/conformance) in Chromium, for the modes only a
// browser has: webgl2, webgl and webgpu (SwiftShader underneath). Bundles test/browser-parity/
// entry.ts with esbuild into a fresh temp folder (with web/build.mjs's browser plugins), serves
// it with web/serve.mjs, opens it in Debian's
// Chromium (never a downloaded browser) through playwright-core, one page per device, in
// parallel, and expects every problem within the float64 reference's tolerance.
// Without Chromium every test here fails, saying how to install it.

import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, startServer } from '../web/chromium.mjs';
import { BROWSER_DEFINE, BROWSER_PLUGINS } from '../web/esbuild-plugins.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HERE = join(ROOT, 'test', 'browser-parity');
const DEVICES = ['webgl2', 'webgl', 'webgpu'] as const;
/** The pages run at once; SwiftShader compiles each of some 500 kernels, which takes minutes on a
 *  busy machine (a guard against a hang, not a speed bar). */
const PAGE_TIMEOUT = 900_000;
interface ParityResult { device: string; total: number; failures: { label: string; error: string }[]; ms: number }

describe('gpu.js conformance in Chromium', () => {
  let setupError: Error | undefined;
  let work = '';
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  const results = new Map<string, Promise<ParityResult>>();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    try {
      const executablePath = findChromium();
      work = mkdtempSync(join(tmpdir(), 'facereid-parity-'));
      const dist = join(work, 'dist');
      const started = performance.now();
      await esbuild.build({
        entryPoints: [join(HERE, 'entry.ts')], outfile: join(dist, 'entry.js'), bundle: true, format: 'esm', platform: 'browser',
        target: ['es2022', 'chrome110'], logLevel: 'warning', define: BROWSER_DEFINE, plugins: BROWSER_PLUGINS,
      });
      copyFileSync(join(HERE, 'index.html'), join(dist, 'index.html'));
      console.log(`bundled in ${(performance.now() - started).toFixed(0)} ms`);
      const served = await startServer(dist);
      server = served.server;
      context = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath, headless: true, args: CHROMIUM_ARGS });
      console.log(`Chromium ${context.browser()?.version() ?? ''}`);
      // One page per device, all at once: SwiftShader compiles each kernel slowly.
      for (const device of DEVICES) {
        const page = await context.newPage();
        page.on('pageerror', (error) => pageErrors.push(`${device}: ${error.message}`));
        await page.goto(served.url);
        await page.waitForFunction(() => typeof (window as unknown as { parity?: unknown }).parity === 'function');
        const result = page.evaluate((d) => (window as unknown as { parity(d: string): Promise<ParityResult> }).parity(d), device);
        result.catch(() => undefined); // read by the device's test
        results.set(device, result);
      }
    } catch (error) {
      setupError = error as Error;
    }
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    server?.kill('SIGTERM');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const device of DEVICES) {
    it(`${device}: every conformance problem matches the float64 reference`, async () => {
      if (setupError) throw setupError;
      const result = await results.get(device)!;
      console.log(`${device}: ${result.total - result.failures.length}/${result.total} match in ${(result.ms / 1000).toFixed(1)} s` +
        result.failures.map((f) => `\n  FAIL ${f.label}: ${f.error}`).join(''));
      expect(result.total).toBeGreaterThan(0);
      expect(result.failures).toEqual([]);
    }, PAGE_TIMEOUT);
  }

  it('no errors in the pages', () => {
    if (setupError) throw setupError;
    expect(pageErrors).toEqual([]);
  });
});
