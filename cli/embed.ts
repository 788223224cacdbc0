// facereid embed <image...>: a JSON array, in input order, of each photo's face embedding.

import { Option, type Command } from 'commander';
import { MIN_FACE_SIZE } from '../rmnet/mtcnn/detector.js';
import { loadFaces, placeOf } from './faces.js';
import { examples, withFaceOptions, type FaceFlags } from './options.js';

interface Flags extends FaceFlags {
  allFaces?: boolean;
}

export function define(command: Command): Command {
  withFaceOptions(command
    .description('The embedding (128 numbers, L2-normalised) of the largest face in each photo, as a JSON array in input ' +
      'order: {file, box, landmarks, score, embedding}; with --all-faces {file, faces: [...]}; with --no-detect {file, embedding}.')
    .argument('<image...>', 'photos (JPEG or PNG)'), { crops: true, minFace: MIN_FACE_SIZE })
    .addOption(new Option('--all-faces', 'every face of each photo, highest detection score first').conflicts('detect'));
  return examples(command, [
    'facereid embed alice.jpg bob.jpg',
    'facereid embed --all-faces group.jpg',
    'facereid embed --no-detect crop.png      # a tight face crop, as the published embeddings were made',
  ]);
}

export async function run(images: string[], flags: Flags): Promise<number> {
  const faces = await loadFaces(flags);
  const rows: unknown[] = [];
  if (flags.allFaces) {
    for (const file of images) {
      const found = (await faces.inPhoto(file)).faces;
      rows.push({ file, faces: found.map((face) => ({ ...placeOf(face), embedding: Array.from(face.embedding) })) });
    }
  } else {
    for (const { file, embedding, face } of await faces.embedOne(images)) {
      rows.push({ file, ...(face ? placeOf(face) : {}), embedding: Array.from(embedding) });
    }
  }
  process.stdout.write(`[\n${rows.map((row) => `  ${JSON.stringify(row)}`).join(',\n')}\n]\n`);
  return 0;
}
