// Data flows one way: file → importer/ → graph → passes → lower → plan → backend, and lower
// layers never import higher ones. Every .ts under engine/ and importer/ is read, each of its
// imports (static, re-exports, dynamic, and `new URL(..., import.meta.url)` worker files) resolved,
// and the folder it lands in checked against what that layer may use: packages always.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The top-level folders each layer may import from. */
const MAY_USE: Record<string, string[]> = {
  engine: ['engine'],
  importer: ['importer', 'engine', 'io'],
};

const IMPORTS = [
  /\b(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? tsFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each relative import of `file`: the specifier and the top-level folder it resolves into. */
function relativeImports(file: string): { specifier: string; folder: string }[] {
  const source = readFileSync(file, 'utf8');
  return IMPORTS.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]))
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ specifier, folder: relative(ROOT, resolve(dirname(file), specifier)).split(/[\\/]/)[0] }));
}

/** Each import of a file under `layer`/ that lands outside what the layer may use. */
function upwardImports(layer: string): string[] {
  const files = tsFiles(join(ROOT, layer));
  expect(files.length).toBeGreaterThan(5);
  return files.flatMap((file) => relativeImports(file)
    .filter(({ folder }) => !MAY_USE[layer].includes(folder))
    .map(({ specifier }) => `${relative(ROOT, file)} imports '${specifier}'`));
}

describe('layering', () => {
  for (const [layer, allowed] of Object.entries(MAY_USE)) {
    it(`${layer}/ imports only from ${allowed.join(', ')} (and packages)`, () => {
      expect(upwardImports(layer)).toEqual([]);
    });
  }

  it('catches an upward import (the check itself)', () => {
    const here = join(ROOT, 'engine', 'pool-worker.ts');
    const folder = relative(ROOT, resolve(dirname(here), '../importer/index.js')).split(/[\\/]/)[0];
    expect(folder).toBe('importer');
    expect(IMPORTS.some((p) => [..."import { loadModel } from '../importer/index.js';".matchAll(p)].length > 0)).toBe(true);
    expect([..."const w = new Worker(new URL('./pool-worker.js', import.meta.url));".matchAll(IMPORTS[3])].map((m) => m[1])).toEqual(['./pool-worker.js']);
  });
});
