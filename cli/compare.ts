import { cosine, Embedder } from '../rmnet/embedder.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { ALIGNED_THRESHOLD, SAME_PERSON_THRESHOLD } from '../rmnet/verify.js';
import { MODEL_OPTIONS, modelOptions, numberOption, parse, type ModelValues, UsageError } from './usage.js';

/** The two embeddings: of the whole images (tight crops), or with --detect of each photo's largest face, aligned. */
async function embedPair(images: string[], detect: boolean, values: ModelValues): Promise<Float32Array[]> {
  if (!detect) return (await Embedder.load(modelOptions(values))).embedMany(images);
  const pipeline = await FacePipeline.load(modelOptions(values));
  const faces = [];
  for (const image of images) {
    const face = await pipeline.largestFace(image);
    if (!face) throw new UsageError(`${image}: no face found`);
    faces.push(face.embedding);
  }
  return faces;
}

/** facereid compare <a> <b> [--detect]: cosine and verdict; exit 0 same, 1 different. */
export async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    ...MODEL_OPTIONS, threshold: { type: 'string' }, json: { type: 'boolean' }, detect: { type: 'boolean' },
  } });
  if (positionals.length !== 2) throw new UsageError(`compare needs exactly two images, got ${positionals.length}`);
  const detect = values.detect ?? false;
  const threshold = numberOption(values.threshold, 'threshold', detect ? ALIGNED_THRESHOLD : SAME_PERSON_THRESHOLD);
  const [a, b] = await embedPair(positionals, detect, values);
  const similarity = cosine(a, b);
  const same = similarity >= threshold;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ a: positionals[0], b: positionals[1], cosine: similarity, threshold, same })}\n`);
  } else {
    process.stdout.write(`cosine ${similarity.toFixed(4)}: ${same ? 'same person' : 'different people'} (threshold ${threshold})\n`);
  }
  return same ? 0 : 1;
}
