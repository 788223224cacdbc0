// The page in Debian's Chromium (never a downloaded browser), through playwright-core: one place
// for what test/browser.test.ts and `npm run bench -- --browser` share. startPage() builds web/
// (web/build.mjs) into a temp folder of its own (so runs side by side do not share files), serves
// it with web/serve.mjs on a free 127.0.0.1 port, launches Chromium on a fresh profile, opens the
// page and waits for its test hook (window.facereid.ready).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The flags Chromium runs with: headless, quiet, and SwiftShader's WebGL / WebGPU allowed. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu'];

/** Debian's Chromium ($CHROMIUM overrides); never downloads one. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p) => !!p);
  for (const path of candidates) if (existsSync(path)) return path;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    throw new Error(`Chromium not found (tried ${candidates.join(', ')} and the PATH): the browser test needs Debian's ` +
      'chromium package: apt-get update && apt-get install -y chromium (or set CHROMIUM to its path)');
  }
}

/** Starts web/serve.mjs on a free port; resolves with its base URL once it says it listens. */
export function startServer(dist, models) {
  return new Promise((resolve, reject) => {
    const args = [join(ROOT, 'web', 'serve.mjs'), '--port', '0', '--dist', dist, ...(models ? ['--models', models] : [])];
    const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    const timer = setTimeout(() => {
      server.kill('SIGTERM');
      reject(new Error(`web/serve.mjs did not start in 10 s; it said: ${said}`));
    }, 10_000);
    const listen = (chunk) => {
      said += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(said)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ server, url });
      }
    };
    server.stdout.on('data', listen);
    server.stderr.on('data', listen);
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web/serve.mjs exited (${code}): ${said}`));
    });
  });
}

/**
 * Builds, serves and opens the page; resolves once its hook is ready.
 * options: `models` (the folder web/serve.mjs serves at /models/; default its own), `onPage(page)`
 * (called before the page loads, e.g. to listen for its errors), `args` (flags beside CHROMIUM_ARGS,
 * e.g. a fake camera's).
 * Resolves with { page, context, url, work, version, close }: `work` is the temp folder (the build
 * is in work/dist); close() stops Chromium and the server and removes the build and the profile,
 * and `work` too when nothing else was left in it. On failure, whatever was started is stopped.
 * @param {{ models?: string, onPage?: (page: import('playwright-core').Page) => void, args?: string[] }} [options]
 */
export async function startPage({ models, onPage, args = [] } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'facereid-browser-'));
  const dist = join(work, 'dist');
  let server;
  let context;
  let profile;
  const close = async () => {
    await context?.close().catch(() => {});
    server?.kill('SIGTERM');
    if (profile) rmSync(profile, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
    try { rmdirSync(work); } catch { /* not empty: e.g. a screenshot stays */ }
  };
  try {
    const executablePath = findChromium();
    execFileSync(process.execPath, [join(ROOT, 'web', 'build.mjs'), '--outdir', dist], { cwd: ROOT, stdio: 'pipe' });
    const started = await startServer(dist, models);
    server = started.server;
    profile = mkdtempSync(join(tmpdir(), 'facereid-chromium-'));
    // A fresh profile (the --user-data-dir): playwright takes it as launchPersistentContext's folder.
    context = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true, args: [...CHROMIUM_ARGS, ...args], viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    onPage?.(page);
    await page.goto(started.url);
    await page.evaluate(() => window.facereid.ready);
    const version = context.browser()?.version() ?? 'unknown';
    return { page, context, url: started.url, work, version, close };
  } catch (error) {
    await close();
    throw error;
  }
}
