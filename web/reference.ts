// The 9 reference faces: their exact network inputs (reference/inputs/*.rgb) run on a device,
// compared with the embeddings Intel published. The page's "check" button and the test hook.

import { cosine, type Embedder } from '../rmnet/embedder.js';
import { RMNET } from '../rmnet/models.js';
import { fetchBytes } from './models.js';

/** The reference faces in the published order. */
export const REFERENCE_FACES = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2', '2_0', '2_1', '2_2'];
const SIDE = 128;
const PLANE = SIDE * SIDE;

let inputs: Promise<Float32Array> | undefined;
let published: Promise<Float32Array[]> | undefined;

/** The 9 inputs as one [9, 3, 128, 128] tensor (the files are interleaved RGB bytes, rows top to bottom). */
export function referenceInputs(): Promise<Float32Array> {
  inputs ??= Promise.all(REFERENCE_FACES.map((face) => fetchBytes(`${RMNET}/reference/inputs/${face}.rgb`))).then((files) => {
    const tensor = new Float32Array(files.length * 3 * PLANE);
    files.forEach((rgb, n) => {
      if (rgb.length !== 3 * PLANE) throw new Error(`reference input ${REFERENCE_FACES[n]}.rgb: ${rgb.length} bytes, expected ${3 * PLANE}`);
      for (let p = 0; p < PLANE; p++) for (let c = 0; c < 3; c++) tensor[(3 * n + c) * PLANE + p] = rgb[3 * p + c];
    });
    return tensor;
  });
  return inputs;
}

/** The published embeddings, lines `label : v1 … v128`. */
export function publishedEmbeddings(): Promise<Float32Array[]> {
  published ??= fetchBytes(`${RMNET}/reference/published-embeddings.txt`).then((bytes) =>
    new TextDecoder().decode(bytes).trim().split('\n').map((line) => Float32Array.from(line.split(':')[1].trim().split(/\s+/).map(Number))));
  return published;
}

export interface ReferenceRun {
  embeddings: Float32Array[];
  /** The 9 faces, one run of the net each (as the page embeds faces), ms in all. */
  ms: number;
  /** The warm-up before them, when asked for: the net compiled (GPU shaders too) and run on one face, ms. */
  firstMs?: number;
}

/**
 * Embeds the 9 reference inputs one at a time (one compiled net per device, as for photos).
 * With `warmUp`, a first run compiles the net and is timed apart, so `ms` is the net alone.
 */
export async function runReference(embedder: Embedder, warmUp = true): Promise<ReferenceRun> {
  const tensor = await referenceInputs();
  const face = (i: number) => tensor.subarray(i * 3 * PLANE, (i + 1) * 3 * PLANE);
  let firstMs: number | undefined;
  if (warmUp) {
    const started = performance.now();
    await embedder.embedTensor(face(0), 1, false);
    firstMs = performance.now() - started;
  }
  const started = performance.now();
  const embeddings: Float32Array[] = [];
  for (let i = 0; i < REFERENCE_FACES.length; i++) embeddings.push(...await embedder.embedTensor(face(i), 1, false));
  return { embeddings, ms: performance.now() - started, firstMs };
}

/** Cosine of each embedding with the published one. */
export async function againstPublished(embeddings: Float32Array[]): Promise<number[]> {
  const reference = await publishedEmbeddings();
  return embeddings.map((e, i) => cosine(e, reference[i]));
}
