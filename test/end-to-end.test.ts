// Acceptance 2: JPEG → the project's decoder and resize → embedding, against the published ones.
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine, Embedder } from '../rmnet/embedder.js';
import { FACES, facePath, MODELS, publishedEmbeddings } from './helpers/shared.js';

describe('reference photos end to end', () => {
  let ours: Float32Array[];
  const published = publishedEmbeddings();
  beforeAll(async () => {
    const embedder = await Embedder.load({ models: MODELS });
    ours = await embedder.embedMany(FACES.map(facePath));
  });

  it('each photo gives cosine >= 0.9999 to its published embedding', () => {
    FACES.forEach((name, i) => {
      const c = cosine(ours[i], published[i]);
      expect(c, `${name}: cosine ${c}`).toBeGreaterThanOrEqual(0.9999);
    });
  });

  it('every same-person cosine is above every different-person cosine', () => {
    let minSame = Infinity;
    let maxDifferent = -Infinity;
    for (let i = 0; i < 9; i++) {
      for (let j = i + 1; j < 9; j++) {
        const c = cosine(ours[i], ours[j]);
        if (FACES[i][0] === FACES[j][0]) minSame = Math.min(minSame, c);
        else maxDifferent = Math.max(maxDifferent, c);
      }
    }
    expect(minSame, `min same ${minSame}, max different ${maxDifferent}`).toBeGreaterThan(maxDifferent);
  });

  it('raw RGBA pixels and encoded bytes give the same embedding as the path', async () => {
    const { readFileSync } = await import('node:fs');
    const { decodeImage } = await import('../io/image.js');
    const embedder = await Embedder.load({ models: MODELS });
    const bytes = new Uint8Array(readFileSync(facePath('1_2')));
    const pixels = await decodeImage(bytes);
    const [fromBytes, fromPixels] = await embedder.embedMany([bytes, { data: pixels.data, width: pixels.width, height: pixels.height }]);
    expect(cosine(fromBytes, ours[5])).toBeGreaterThan(0.999999);
    expect(cosine(fromPixels, ours[5])).toBeGreaterThan(0.999999);
  });
});
