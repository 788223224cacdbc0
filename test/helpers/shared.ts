// Paths to the real data beside the project (../shared), shared by the tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const MODELS = `${SHARED}models/`;
export const RMNET_DIR = `${MODELS}face-reidentification-retail-0001/`;
export const RMNET_PROTOTXT = `${RMNET_DIR}face-reidentification-retail-0001.prototxt`;
export const RMNET_CAFFEMODEL = `${RMNET_DIR}face-reidentification-retail-0001.caffemodel`;
export const REFERENCE = `${RMNET_DIR}reference/`;
export const MTCNN_DIR = `${MODELS}mtcnn/`;

/** The 9 reference photos, in the published order 0_0, 0_1, … 2_2. */
export const FACES = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2', '2_0', '2_1', '2_2'];

export const facePath = (name: string) => `${REFERENCE}faces/${name[0]}/${name}.jpg`;

/** The published embeddings, one per photo in FACES order. */
export function publishedEmbeddings(): Float32Array[] {
  return readFileSync(`${REFERENCE}published-embeddings.txt`, 'utf8').trim().split('\n')
    .map((line) => Float32Array.from(line.split(':')[1].trim().split(/\s+/).map(Number)));
}

/** The exact network input behind a published embedding, as NCHW float 0..255. */
export function referenceInput(name: string): Float32Array {
  const rgb = readFileSync(`${REFERENCE}inputs/${name}.rgb`);
  const plane = 128 * 128;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = rgb[p * 3 + c];
  return out;
}
