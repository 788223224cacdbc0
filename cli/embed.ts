import { Embedder } from '../rmnet/embedder.js';
import { MODEL_OPTIONS, modelOptions, parse, UsageError } from './usage.js';

/** facereid embed <image...>: a JSON array of { file, embedding } in input order. */
export async function embed(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: MODEL_OPTIONS });
  if (positionals.length === 0) throw new UsageError('embed needs at least one image');
  const embedder = await Embedder.load(modelOptions(values));
  const embeddings = await embedder.embedMany(positionals);
  const rows = positionals.map((file, i) => `  ${JSON.stringify({ file, embedding: Array.from(embeddings[i]) })}`);
  process.stdout.write(`[\n${rows.join(',\n')}\n]\n`);
  return 0;
}
