// RMNet on each gpu.js device Node has, each run in a child process of its own (embed-child.ts,
// bundled here with esbuild as CommonJS and fed to node on stdin): the reference tensors reproduce the
// published embeddings (cosine >= 0.9999), and the process stays under 300 MB (maxRSS). gpujs-cpu
// runs 2 faces (about half a second each); gpujs-webasm all 9 one at a time, then 8 as a batch.
// The figures are printed.

import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIN_COSINE = 0.9999;
const MAX_RSS_MB = 300;

const { outputFiles } = await build({
  entryPoints: [fileURLToPath(new URL('embed-child.ts', import.meta.url))],
  bundle: true, platform: 'node', format: 'cjs', packages: 'external', write: false, logLevel: 'error',
  // test/helpers/shared.ts finds ../shared from its own URL
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(fileURLToPath(new URL('../helpers/shared.ts', import.meta.url))).href) },
});
const CHILD = outputFiles[0].text;

interface Embedded {
  device: string; batch: number; cosines: Record<string, number>;
  firstMsPerImage: number; msPerImage: number; rssMB: number; maxRssMB: number;
}

/** Runs embed-child.ts (from the project root, so it finds node_modules) and reads its JSON line. */
function embed(device: string, batch: number, runs: number, faces: number[]): Embedded {
  const child = spawnSync(process.execPath, ['-', device, String(batch), String(runs), ...faces.map(String)],
    { cwd: ROOT, input: CHILD, encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`${device}: the child process failed (${child.status ?? child.signal}): ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Embedded;
  console.log(`${device} batch ${batch}: ${result.msPerImage.toFixed(1)} ms/image (first run ${result.firstMsPerImage.toFixed(0)} ms/image), `
    + `maxRSS ${result.maxRssMB.toFixed(0)} MB, cosines ${Object.entries(result.cosines).map(([f, c]) => `${f} ${c.toFixed(7)}`).join(', ')}`);
  return result;
}

function expectPublished(result: Embedded, faces: number): void {
  expect(Object.keys(result.cosines).length).toBe(faces);
  for (const [face, cosine] of Object.entries(result.cosines)) {
    expect(cosine, `${result.device} batch ${result.batch}, face ${face}`).toBeGreaterThanOrEqual(MIN_COSINE);
  }
  expect(result.maxRssMB, `${result.device} batch ${result.batch}: maxRSS`).toBeLessThan(MAX_RSS_MB);
}

describe('RMNet on the gpu.js devices', () => {
  it('gpujs-webasm: the 9 faces one at a time', () => expectPublished(embed('gpujs-webasm', 1, 2, [0, 1, 2, 3, 4, 5, 6, 7, 8]), 9));
  it('gpujs-webasm: a batch of 8', () => expectPublished(embed('gpujs-webasm', 8, 2, [8, 0, 1, 2, 3, 4, 5, 6]), 8));
  it('gpujs-cpu: 2 faces one at a time', () => expectPublished(embed('gpujs-cpu', 1, 2, [0, 5]), 2));
});
