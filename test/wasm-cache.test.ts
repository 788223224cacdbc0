// The cache of generated WebAssembly (engine/wasm/cache.ts): a module is generated once per key and
// read back after; the key changes with any input; a damaged or deleted entry is generated again;
// processes writing one entry at once leave it whole; a net compiled from the cache computes the same;
// relaxed SIMD and plain SIMD modules are kept apart.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../engine/backends/backend.js';
import { createSimdBackend, simdBackend } from '../engine/backends/simd.js';
import { compile } from '../engine/compile.js';
import { cacheFolder } from '../engine/disk-cache.js';
import { cachedModule } from '../engine/wasm/cache.js';
import { loadModel } from '../importer/index.js';
import { referenceInput } from './helpers/shared.js';

const folder = () => mkdtempSync(join(tmpdir(), 'facereid-cache-test-'));
const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.wasm'));

/** A generator that counts its calls. */
function generator(bytes: number[]) {
  const g = { calls: 0, generate: () => { g.calls++; return Uint8Array.from(bytes); } };
  return g;
}

describe('cachedModule', () => {
  it('generates once per key, then reads the entry back', () => {
    const dir = folder();
    const g = generator([0, 97, 115, 109, 1, 0, 0, 0]);
    const inputs = { weights: Float32Array.of(1, 2, 3), offsets: new Map([['x', 4]]) };
    expect([...cachedModule(inputs, g.generate, dir)]).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
    expect([...cachedModule(inputs, g.generate, dir)]).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(g.calls).toBe(1);
    expect(entries(dir)).toHaveLength(1);
    // Any input changed, a weight or a place: another key.
    cachedModule({ ...inputs, weights: Float32Array.of(1, 2, 4) }, g.generate, dir);
    cachedModule({ ...inputs, offsets: new Map([['x', 8]]) }, g.generate, dir);
    expect(g.calls).toBe(3);
    expect(entries(dir)).toHaveLength(3);
  });

  it('a damaged entry is generated again and rewritten; a deleted folder too', () => {
    const dir = folder();
    const g = generator([1, 2, 3, 4]);
    cachedModule('x', g.generate, dir);
    const [entry] = entries(dir);
    const bytes = readFileSync(join(dir, entry));
    bytes[1] ^= 0xff;
    writeFileSync(join(dir, entry), bytes);
    expect([...cachedModule('x', g.generate, dir)]).toEqual([1, 2, 3, 4]);
    writeFileSync(join(dir, entry), bytes.subarray(0, 10)); // truncated
    expect([...cachedModule('x', g.generate, dir)]).toEqual([1, 2, 3, 4]);
    expect(g.calls).toBe(3);
    expect([...cachedModule('x', g.generate, dir)]).toEqual([1, 2, 3, 4]);
    expect(g.calls).toBe(3); // whole again
    rmSync(dir, { recursive: true });
    expect([...cachedModule('x', g.generate, dir)]).toEqual([1, 2, 3, 4]);
    expect(g.calls).toBe(4);
  });

  it('an unwritable folder only means generating', () => {
    const g = generator([5]);
    const file = join(folder(), 'a-file');
    writeFileSync(file, '');
    expect([...cachedModule('x', g.generate, join(file, 'cache'))]).toEqual([5]);
    expect([...cachedModule('x', g.generate, join(file, 'cache'))]).toEqual([5]);
    expect(g.calls).toBe(2);
  });

  it('FACEREID_CACHE names the folder, or turns the cache off', () => {
    const saved = process.env.FACEREID_CACHE;
    try {
      process.env.FACEREID_CACHE = '/some/where';
      expect(cacheFolder()).toBe('/some/where');
      process.env.FACEREID_CACHE = 'off';
      expect(cacheFolder()).toBeUndefined();
      delete process.env.FACEREID_CACHE;
      expect(cacheFolder()).toMatch(/facereid$/);
    } finally {
      process.env.FACEREID_CACHE = saved;
    }
  });

  it('processes writing the same entry at once leave one whole entry', async () => {
    const dir = folder();
    // Each child (the built module) writes the same 4 MB module, slow enough to overlap, under the same key.
    const url = new URL('../dist/engine/wasm/cache.js', import.meta.url).href;
    const script = `const { cachedModule } = await import(${JSON.stringify(url)});
      cachedModule('same', () => new Uint8Array(4e6).fill(7), ${JSON.stringify(dir)});`;
    const codes = await Promise.all(Array.from({ length: 4 }, () => new Promise<number | null>((resolve) => {
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', resolve);
    })));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(entries(dir)).toHaveLength(1);
    // Whole: the module's bytes, then their CRC-32.
    const entry = readFileSync(join(dir, entries(dir)[0]));
    expect(entry.length).toBe(4e6 + 4);
    expect(entry.readUInt32LE(4e6)).toBe(crc32(entry.subarray(0, 4e6)));
  });
});

describe('a net compiled from the cache', () => {
  /** `body` with the cache in a fresh folder, and RMNet compiled on a backend and run on one reference input. */
  async function inFreshCache(body: (dir: string, run: (backend: Backend) => Float32Array) => void): Promise<void> {
    const dir = folder();
    const saved = process.env.FACEREID_CACHE;
    process.env.FACEREID_CACHE = dir;
    try {
      const graph = await loadModel({ model: 'face-reidentification-retail-0001' });
      const input = referenceInput('1_1');
      body(dir, (backend) => compile(graph, { backend }).run({ data: input })[graph.outputs[0]]);
    } finally {
      process.env.FACEREID_CACHE = saved;
    }
  }

  it('computes what a freshly generated one does', () => inFreshCache((dir, run) => {
    const fresh = run(simdBackend);
    expect(entries(dir)).toHaveLength(1);
    const cached = run(simdBackend);
    expect(entries(dir)).toHaveLength(1);
    expect([...cached]).toEqual([...fresh]);
  }));

  it('keeps the modules with and without relaxed SIMD apart', () => inFreshCache((dir, run) => {
    const relaxed = run(createSimdBackend({ relaxed: true }));
    const plain = run(createSimdBackend({ relaxed: false }));
    expect(entries(dir)).toHaveLength(2);
    expect([...run(createSimdBackend({ relaxed: false }))]).toEqual([...plain]);
    expect(entries(dir)).toHaveLength(2);
    const cosine = relaxed.reduce((sum, v, k) => sum + v * plain[k], 0) / Math.hypot(...relaxed) / Math.hypot(...plain);
    expect(cosine).toBeGreaterThanOrEqual(0.999999);
  }));
});
