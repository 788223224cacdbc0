// The gallery parser (rmnet/gallery.ts parseGallery: the size and depth checks, JSON.parse, the
// strict schema, then the embedding space) on mutated gallery files: numbers set to interesting values, identities duplicated or dropped,
// nesting thousands deep, huge strings. Seed: a gallery of the three reference people built from
// their published embeddings (the first photo's embedding stands as the model's probe).

import { readFileSync } from 'node:fs';
import { GALLERY_FORMAT, GALLERY_VERSION, GalleryError, matchSpace, parseGallery, type Gallery } from '../../rmnet/gallery.js';
import { decode, encode, mutateText, braceBlocks, type TextFormat } from '../mutate/text.js';
import { SHARED } from '../shared.js';
import type { FuzzInput, Target } from './target.js';

const JSON_FORMAT: TextFormat = {
  blocks: (text) => braceBlocks(text, /\{\s*"name"/g),
  open: '{"a":[',
  close: ']}',
  quote: (content) => `"${content}",`,
};

let seedGallery: Gallery | undefined;

function gallery(): Gallery {
  if (!seedGallery) {
    const lines = readFileSync(`${SHARED}models/face-reidentification-retail-0001/reference/published-embeddings.txt`, 'utf8').trim().split('\n');
    const embeddings = lines.map((line) => line.split(':')[1].trim().split(/\s+/).map(Number));
    seedGallery = {
      format: GALLERY_FORMAT, version: GALLERY_VERSION, nextId: 1, flip: false,
      model: { name: 'face-reidentification-retail-0001', embeddingSize: 128, probe: embeddings[0] },
      identities: [0, 1, 2].map((person) => ({ name: `person ${person}`, anonymous: false, embeddings: embeddings.slice(3 * person, 3 * person + 3) }))
        .concat([{ name: 'ID_0', anonymous: true, embeddings: [embeddings[8]] }]),
    };
  }
  return seedGallery;
}

export const galleryTarget: Target = {
  name: 'gallery',
  errors: [GalleryError],
  async seeds() {
    return [{ files: [{ name: 'mutant.g.json', bytes: encode(`${JSON.stringify(gallery(), null, 1)}\n`) }] }];
  },
  mutate(rng, all) {
    const text = decode(all[0].files[0].bytes);
    const { bytes, how } = mutateText(rng, text, text, JSON_FORMAT);
    return { input: { files: [{ name: 'mutant.g.json', bytes }] }, how };
  },
  async run(input: FuzzInput, names) {
    const file = input.files[0].name;
    names.push(file);
    const { model, flip } = gallery();
    matchSpace(parseGallery(decode(input.files[0].bytes), file), { model, flip }, file);
  },
};
