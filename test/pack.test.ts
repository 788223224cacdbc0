// What a new user does: the package packed as npm would publish it (the pack step builds dist/),
// installed into an empty project under the system's temporary folder (no ../shared beside it),
// then the README's commands and library example with nothing else at hand.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import encodeJpeg, { init as initJpegEncoder } from '@jsquash/jpeg/encode.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, type Pixels } from '../io/image.js';
import { readManifest } from '../importer/manifest.js';

const ROOT = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'facereid-pack-'));
const app = join(tmp, 'app');

/** The environment without what npm sets for the `npm test` around us, or a models folder of ours. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'FACEREID_MODELS'));

/** Runs a command; logs how long it took (the pack and the install are what this test costs). */
function sh(command: string, args: string[], cwd: string, options: SpawnSyncOptions = {}) {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 180_000, ...options });
  console.log(`${command} ${args.join(' ')}: ${((performance.now() - start) / 1e3).toFixed(1)} s`);
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A JPEG of a region of a photo, mirrored left-right if asked. */
async function cropJpeg(photo: Pixels, x0: number, y0: number, width: number, height: number, mirror: boolean): Promise<Uint8Array> {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y0 + y) * photo.width + (mirror ? x0 + width - 1 - x : x0 + x)) * photo.channels;
      data.set([...photo.data.subarray(from, from + 3), 255], (y * width + x) * 4);
    }
  }
  return new Uint8Array(await encodeJpeg({ data, width, height, colorSpace: 'srgb' }, { quality: 90 }));
}

/** The README's library example: the ```js block that starts with `// example.mjs`. */
function readmeExample(): string {
  const block = /```js\n(\/\/ example\.mjs[^\n]*\n[\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  if (!block) throw new Error('README.md has no ```js block starting with "// example.mjs"');
  return block[1];
}

let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let install: ReturnType<typeof sh>;

beforeAll(async () => {
  const pack = sh('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'first-contact', private: true })}\n`);
  install = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(tmp, packed.filename)], app);
  expect(install.status, install.stderr).toBe(0);

  // Two photos of one face: a loose crop of the left man in MTCNN's test1.jpg, and a tighter one mirrored.
  const photo = await readImage(join(ROOT, 'models', 'mtcnn', 'test1.jpg'));
  const wasm = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm');
  await initJpegEncoder(await WebAssembly.compile(readFileSync(wasm)));
  writeFileSync(join(app, 'a.jpg'), await cropJpeg(photo, 64, 0, 112, 134, false));
  writeFileSync(join(app, 'b.jpg'), await cropJpeg(photo, 70, 4, 100, 124, true));
  writeFileSync(join(app, 'example.mjs'), readmeExample());
}, 300_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('holds the built library and CLI, the models with their licences and manifest, and nothing of the repository besides', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/bin/main.js', 'models/manifest.json']));
    for (const [folder, entry] of Object.entries(readManifest(join(ROOT, 'models'))!)) {
      expect(files).toEqual(expect.arrayContaining([...Object.keys(entry.files), entry.licenseFile].map((f) => `models/${folder}/${f}`)));
    }
    const outside = files.filter((f) => !/^(dist\/.*\.(js|d\.ts)|dist\/bin\/cli\.cjs|models\/.*|LICENSE|README\.md|package\.json)$/.test(f));
    expect(outside).toEqual([]);
    console.log(`package: ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${files.length} files`);
    expect(packed.size).toBeLessThan(10e6);
  });
});

describe('installed into an empty project', () => {
  it('installs with no warning of ours and no native module', () => {
    const warnings = install.stderr.split('\n').filter((line) => /^npm warn/i.test(line) && !/^npm warn deprecated /i.test(line));
    expect(warnings).toEqual([]);
    const natives = (readdirSync(join(app, 'node_modules'), { recursive: true }) as string[]).filter((f) => f.endsWith('.node'));
    expect(natives).toEqual([]);
    expect(existsSync(join(app, 'node_modules', 'shared'))).toBe(false);
  });

  it('npx facereid compare a.jpg b.jpg (faces detected and aligned): same person, exit 0', () => {
    const r = sh('npx', ['facereid', 'compare', 'a.jpg', 'b.jpg'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cosine 0\.\d{4}: same person \(threshold 0\.34\)\n$/);
  });

  it('npx facereid compare --threads 2: the worker threads start from the installed package, the same answer', () => {
    const [one, two] = [sh('npx', ['facereid', 'compare', 'a.jpg', 'b.jpg'], app), sh('npx', ['facereid', 'compare', '--threads', '2', 'a.jpg', 'b.jpg'], app)];
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('the README\'s library example runs as written', () => {
    const r = sh(process.execPath, ['example.mjs'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cosine 0\.\d{4}: same person\n$/);
  });

  it('facereid demo: every face in the photos that ship with the package', () => {
    const r = sh('npx', ['facereid', 'demo'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1 +test1\.jpg +89, 19, 61x84 +1\.0000$/m);
    expect(r.stdout).toMatch(/^3 +test2\.jpg /m);
    expect(r.stdout).toMatch(/^1 and 3: 0\.\d{4} +different people$/m);
  });

  it('a model that is nowhere: every place tried, and the command line\'s way to name another folder', () => {
    const r = sh('npx', ['facereid', 'embed', '--model', 'no-such-model', 'a.jpg'], app);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(app, 'node_modules', 'facereid', 'models', 'no-such-model', 'FP32', 'no-such-model.{xml,bin}'));
    expect(r.stderr).toContain('give --models DIR or set FACEREID_MODELS');
    expect(r.stderr).not.toContain('{ models');
  });
});
