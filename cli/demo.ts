import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosine, Embedder } from '../rmnet/embedder.js';
import { findCaffeModel, RMNET } from '../rmnet/models.js';
import { parse } from './usage.js';

/** facereid demo: embeds the 9 reference photos and checks them against the published embeddings. */
export async function demo(args: string[]): Promise<number> {
  const { values } = parse({ args, allowPositionals: true, options: { models: { type: 'string' } } });
  const reference = join(findCaffeModel(RMNET, values.models).prototxt, '..', 'reference');
  const lines = readFileSync(join(reference, 'published-embeddings.txt'), 'utf8').trim().split('\n');
  const published = lines.map((line) => line.split(':')[1].trim().split(/\s+/).map(Number));
  const names = lines.map((_, i) => `${Math.floor(i / 3)}_${i % 3}`);
  const embedder = await Embedder.load({ models: values.models });
  const ours = await embedder.embedMany(names.map((n) => join(reference, 'faces', n[0], `${n}.jpg`)));

  const out: string[] = ['photo   person  cosine to published embedding'];
  names.forEach((name, i) => out.push(`${name}.jpg  ${name[0]}       ${cosine(ours[i], published[i]).toFixed(6)}`));
  out.push('', 'cosine between photos (same person: rows/columns with one leading digit)');
  out.push(`${''.padEnd(5)}${names.map((name) => name.padStart(7)).join('')}`);
  names.forEach((name, i) => out.push(`${name.padEnd(5)}${names.map((_, j) => cosine(ours[i], ours[j]).toFixed(2).padStart(7)).join('')}`));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
