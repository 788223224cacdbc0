// Shared by the gallery tests and their child process (test/gallery-child.ts): a small embedding
// space, a deterministic embedding per name, and the child bundled to run with node.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddingSpace } from '../../rmnet/gallery.js';
import { normalize } from '../../rmnet/vector.js';

export const SPACE: EmbeddingSpace = { model: { name: 'test-model', embeddingSize: 8, probe: [1, 0, 0, 0, 0, 0, 0, 0] }, flip: false };

/** A unit vector of SPACE's size that depends only on `name`: per component, an FNV-1a hash of
 *  the name and the index, finished with MurmurHash3's fmix32 so that names differing only in
 *  their last character still land far apart. */
export function embeddingOf(name: string): Float32Array {
  const v = new Float32Array(SPACE.model.embeddingSize);
  for (let i = 0; i < v.length; i++) {
    let h = 0x811c9dc5 ^ i;
    for (let c = 0; c < name.length; c++) h = Math.imul(h ^ name.charCodeAt(c), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    v[i] = ((h ^ (h >>> 16)) >>> 0) / 2 ** 32 - 0.5;
  }
  return normalize(v);
}

/** Bundles test/gallery-child.ts (ES module, node) into `dir`; returns the script's path. */
export async function bundleChild(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: [fileURLToPath(new URL('../gallery-child.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error',
  });
  const script = join(dir, 'gallery-child.mjs');
  writeFileSync(script, outputFiles[0].text);
  return script;
}
