// facereid compare <a> <b>: the cosine of two faces and a verdict; exit 0 same person, 1 different.

import type { Command } from 'commander';
import { cosine } from '../rmnet/embedder.js';
import { ALIGNED_THRESHOLD, SAME_PERSON_THRESHOLD } from '../rmnet/verify.js';
import { MIN_FACE_SIZE } from '../rmnet/mtcnn/detector.js';
import { loadFaces, thresholdOf } from './faces.js';
import { examples, thresholdOption, withFaceOptions, type FaceFlags } from './options.js';

interface Flags extends FaceFlags {
  threshold?: number;
  json?: boolean;
}

export function define(command: Command): Command {
  withFaceOptions(command
    .description('Whether two photos show the same person: the largest face of each is found, aligned and embedded, and the ' +
      'cosine of the two embeddings compared with a threshold. Exit status 0: same person, 1: different people, 2: an error.')
    .argument('<a>', 'a photo (JPEG or PNG)')
    .argument('<b>', 'another photo'), { crops: true, minFace: MIN_FACE_SIZE })
    .addOption(thresholdOption(`the cosine from which two faces are the same person (default: ${ALIGNED_THRESHOLD}; ${SAME_PERSON_THRESHOLD} with --no-detect)`))
    .option('--json', 'print {a, b, cosine, threshold, same} as JSON');
  return examples(command, [
    'facereid compare alice1.jpg alice2.jpg          # cosine 0.7412: same person (threshold 0.34)',
    'facereid compare --no-detect crop1.png crop2.png  # tight face crops, resized whole',
    'facereid compare --json --threshold 0.4 a.jpg b.jpg',
  ]);
}

export async function run(a: string, b: string, flags: Flags): Promise<number> {
  const threshold = thresholdOf(flags);
  const faces = await loadFaces(flags);
  const [x, y] = await faces.embedOne([a, b]);
  const similarity = cosine(x.embedding, y.embedding);
  const same = similarity >= threshold;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ a, b, cosine: similarity, threshold, same })}\n`);
  } else {
    process.stdout.write(`cosine ${similarity.toFixed(4)}: ${same ? 'same person' : 'different people'} (threshold ${threshold})\n`);
  }
  return same ? 0 : 1;
}
