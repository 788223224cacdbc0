// Acceptance 1: the exact reference tensors through the Caffe files reproduce the published embeddings.
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine, Embedder } from '../rmnet/embedder.js';
import { FACES, publishedEmbeddings, referenceInput, RMNET_PROTOTXT } from './helpers/shared.js';

describe('RMNet from the Caffe files, on the exact reference inputs', () => {
  let embedder: Embedder;
  const published = publishedEmbeddings();
  beforeAll(async () => { embedder = await Embedder.load({ model: RMNET_PROTOTXT }); });

  it.each(FACES.map((name, i) => [name, i] as const))('%s: cosine >= 0.99999 and max |diff| <= 2e-5', async (name, i) => {
    const [ours] = await embedder.embedTensor(referenceInput(name));
    const maxDiff = Math.max(...ours.map((v, k) => Math.abs(v - published[i][k])));
    const c = cosine(ours, published[i]);
    expect(c, `${name}: cosine ${c}, max diff ${maxDiff}`).toBeGreaterThanOrEqual(0.99999);
    expect(maxDiff, `${name}: max diff ${maxDiff}`).toBeLessThanOrEqual(2e-5);
  });

  it('a batch of all 9 gives the same embeddings as one at a time', async () => {
    const batch = new Float32Array(9 * 3 * 128 * 128);
    FACES.forEach((name, i) => batch.set(referenceInput(name), i * 3 * 128 * 128));
    const together = await embedder.embedTensor(batch, 9);
    for (const [i, name] of FACES.entries()) {
      const [alone] = await embedder.embedTensor(referenceInput(name));
      expect(Math.max(...alone.map((v, k) => Math.abs(v - together[i][k])))).toBeLessThanOrEqual(1e-6);
    }
  });
});
