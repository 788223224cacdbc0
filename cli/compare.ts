import { cosine, Embedder } from '../rmnet/embedder.js';
import { SAME_PERSON_THRESHOLD } from '../rmnet/verify.js';
import { MODEL_OPTIONS, numberOption, parse, UsageError } from './usage.js';

/** facereid compare <a> <b>: cosine and verdict; exit 0 same, 1 different. */
export async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    ...MODEL_OPTIONS, threshold: { type: 'string' }, json: { type: 'boolean' },
  } });
  if (positionals.length !== 2) throw new UsageError(`compare needs exactly two images, got ${positionals.length}`);
  const threshold = numberOption(values.threshold, 'threshold', SAME_PERSON_THRESHOLD);
  const embedder = await Embedder.load(values);
  const [a, b] = await embedder.embedMany(positionals);
  const similarity = cosine(a, b);
  const same = similarity >= threshold;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ a: positionals[0], b: positionals[1], cosine: similarity, threshold, same })}\n`);
  } else {
    process.stdout.write(`cosine ${similarity.toFixed(4)}: ${same ? 'same person' : 'different people'} (threshold ${threshold})\n`);
  }
  return same ? 0 : 1;
}
