import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { cosine, Embedder } from '../rmnet/embedder.js';
import { modelDirs, packageModels } from '../importer/models.js';
import { packageRoot } from '../importer/package-root.js';
import { RMNET } from '../rmnet/models.js';
import { MTCNN } from '../rmnet/mtcnn/nets.js';
import { FacePipeline, type EmbeddedFace } from '../rmnet/pipeline.js';
import { ALIGNED_THRESHOLD } from '../rmnet/verify.js';
import { examples } from './options.js';

/** MTCNN's demo photos, shipped with the package beside its models (MIT, like them). */
const PHOTOS = ['test1.jpg', 'test2.jpg'];

/**
 * facereid demo: with the reference data at hand (a clone beside ../shared, or `--models DIR`
 * holding RMNet's reference/), the 9 reference photos against their published embeddings;
 * otherwise every face in the photos that ship with the package, and how alike they are.
 */
export function define(command: Command): Command {
  command
    .description("Every face in MTCNN's two demo photos (shipped with the package) found, aligned, embedded and compared. " +
      "In a clone with the reference data beside it (../shared), the 9 reference photos against their published embeddings instead.")
    .option('--models <DIR>', 'a folder of model folders to use (and to look for the reference data in)');
  return examples(command, ['facereid demo']);
}

export async function run(flags: { models?: string }): Promise<number> {
  const places = [...modelDirs(flags.models), join(packageRoot(), '..', 'shared', 'models')];
  const reference = places.map((dir) => join(dir, RMNET, 'reference')).find((dir) => existsSync(join(dir, 'published-embeddings.txt')));
  const out = reference ? await referenceDemo(reference, flags.models) : await photoDemo(flags.models);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** The reference photos: each embedding's cosine to the published one, then between photos. */
async function referenceDemo(reference: string, models?: string): Promise<string[]> {
  const lines = readFileSync(join(reference, 'published-embeddings.txt'), 'utf8').trim().split('\n');
  const published = lines.map((line) => line.split(':')[1].trim().split(/\s+/).map(Number));
  const names = lines.map((_, i) => `${Math.floor(i / 3)}_${i % 3}`);
  const embedder = await Embedder.load({ models });
  const ours = await embedder.embedMany(names.map((n) => join(reference, 'faces', n[0], `${n}.jpg`)));

  const out: string[] = [`the reference photos in ${reference}`, '', 'photo   person  cosine to published embedding'];
  names.forEach((name, i) => out.push(`${name}.jpg  ${name[0]}       ${cosine(ours[i], published[i]).toFixed(6)}`));
  out.push('', 'cosine between photos (same person: rows/columns with one leading digit)');
  out.push(`${''.padEnd(5)}${names.map((name) => name.padStart(7)).join('')}`);
  names.forEach((name, i) => out.push(`${name.padEnd(5)}${names.map((_, j) => cosine(ours[i], ours[j]).toFixed(2).padStart(7)).join('')}`));
  return out;
}

/** The photos that ship with the package: every face found, aligned and embedded; each pair's cosine and verdict. */
async function photoDemo(models?: string): Promise<string[]> {
  const pipeline = await FacePipeline.load({ models });
  const folder = join(packageModels(), MTCNN);
  const faces: { photo: string; face: EmbeddedFace }[] = [];
  for (const photo of PHOTOS) {
    for (const face of (await pipeline.faces(join(folder, photo))).faces) faces.push({ photo, face });
  }
  const out = [
    `MTCNN's demo photos ${PHOTOS.join(', ')} (in ${folder}): every face found,`,
    'aligned onto the model\'s template and embedded', '',
    'face  photo      box: x, y, width x height  score',
  ];
  faces.forEach(({ photo, face: { box, score } }, i) => {
    const at = `${Math.round(box.x)}, ${Math.round(box.y)}, ${Math.round(box.width)}x${Math.round(box.height)}`;
    out.push(`${String(i + 1).padEnd(6)}${photo.padEnd(11)}${at.padEnd(27)}${score.toFixed(4)}`);
  });
  out.push('', `cosine between faces (the same person from ${ALIGNED_THRESHOLD} up)`);
  faces.forEach((a, i) => faces.slice(i + 1).forEach((b, k) => {
    const similarity = cosine(a.face.embedding, b.face.embedding);
    out.push(`${i + 1} and ${i + k + 2}: ${similarity.toFixed(4)}  ${similarity >= ALIGNED_THRESHOLD ? 'same person' : 'different people'}`);
  }));
  return out;
}
