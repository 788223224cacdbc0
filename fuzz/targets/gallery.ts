// The gallery reader as it stands (rmnet/gallery.ts readGallery: JSON.parse, then the schema check)
// on mutated gallery files: numbers set to interesting values, identities duplicated or dropped,
// nesting thousands deep, huge strings. Seed: a gallery of the three reference people built from
// their published embeddings (the first photo's embedding stands as the model's probe).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GALLERY_FORMAT, GALLERY_VERSION, GalleryError, readGallery, type Gallery } from '../../rmnet/gallery.js';
import { decode, encode, mutateText, braceBlocks, type TextFormat } from '../mutate/text.js';
import { SHARED } from '../shared.js';
import type { FuzzInput, Target } from './target.js';

const JSON_FORMAT: TextFormat = {
  blocks: (text) => braceBlocks(text, /\{\s*"name"/g),
  open: '{"a":[',
  close: ']}',
  quote: (content) => `"${content}",`,
};

let folder: string | undefined;
let seedGallery: Gallery | undefined;

function gallery(): Gallery {
  if (!seedGallery) {
    const lines = readFileSync(`${SHARED}models/face-reidentification-retail-0001/reference/published-embeddings.txt`, 'utf8').trim().split('\n');
    const embeddings = lines.map((line) => line.split(':')[1].trim().split(/\s+/).map(Number));
    seedGallery = {
      format: GALLERY_FORMAT, version: GALLERY_VERSION, nextId: 1,
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
    folder ??= mkdtempSync(join(tmpdir(), 'facereid-fuzz-'));
    const file = join(folder, input.files[0].name);
    writeFileSync(file, input.files[0].bytes);
    names.push(file);
    readGallery(file, gallery().model);
  },
};
