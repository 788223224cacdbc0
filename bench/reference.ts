// The reference faces and their published embeddings: the exact network inputs (NCHW, 0..255)
// every engine is fed, and the check each engine passes in the same run (min cosine).
// No engine imports here: a child measuring its peak RSS loads only what its engine needs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The 9 reference photos, in the published order. */
export const FACES = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2', '2_0', '2_1', '2_2'];

/** One face as the network input [3, 128, 128], from `<reference>/inputs/<name>.rgb` (HWC bytes). */
export function referenceInput(reference: string, name: string): Float32Array {
  const rgb = readFileSync(join(reference, 'inputs', `${name}.rgb`));
  const plane = 128 * 128;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = rgb[p * 3 + c];
  return out;
}

/** The published embeddings, in FACES order. */
export function publishedEmbeddings(reference: string): Float32Array[] {
  return readFileSync(join(reference, 'published-embeddings.txt'), 'utf8').trim().split('\n')
    .map((line) => Float32Array.from(line.split(':')[1].trim().split(/\s+/).map(Number)));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return ab / Math.sqrt(aa * bb);
}

export function l2normalise(v: Float32Array): Float32Array {
  let ss = 0;
  for (const x of v) ss += x * x;
  const inv = 1 / Math.sqrt(ss);
  return v.map((x) => x * inv);
}

/** A batch of `batch` faces starting at face `start`, cycling through the 9. */
export function faceBatch(faces: Float32Array[], start: number, batch: number): Float32Array {
  const size = faces[0].length;
  const out = new Float32Array(batch * size);
  for (let i = 0; i < batch; i++) out.set(faces[(start + i) % faces.length], i * size);
  return out;
}

/** Runs every reference face through `run` (batches of `batch`, the last one padded by cycling)
 *  and returns the smallest cosine between an L2-normalised output and its published embedding. */
export async function minCosine(reference: string, batch: number, run: (input: Float32Array) => Promise<Float32Array>): Promise<number> {
  const faces = FACES.map((name) => referenceInput(reference, name));
  const published = publishedEmbeddings(reference);
  let min = Infinity;
  for (let start = 0; start < faces.length; start += batch) {
    const out = await run(faceBatch(faces, start, batch));
    const dim = out.length / batch;
    for (let j = 0; j < batch && start + j < faces.length; j++) {
      min = Math.min(min, cosine(l2normalise(out.subarray(j * dim, (j + 1) * dim)), published[start + j]));
    }
  }
  return min;
}
