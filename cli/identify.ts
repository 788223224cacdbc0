// facereid identify <image> --gallery g.json: each face's identity (the best cosine per identity
// at or above the threshold; with --no-detect the photo is one tight face crop); a face matching
// nobody gets a new stable ID (ID_0, ID_1 …) that is added to the gallery, and said so on stderr
// (and in --json), unless --no-save.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { identify as match, spaceOf, type Gallery, type Match } from '../rmnet/gallery.js';
import { readGallery, updateGallery } from '../rmnet/gallery-file.js';
import { ALIGNED_THRESHOLD, SAME_PERSON_THRESHOLD } from '../rmnet/verify.js';
import { annotate } from '../viz/annotate.js';
import { MIN_FACE_SIZE } from '../rmnet/mtcnn/detector.js';
import { loadFaces, placeOf, thresholdOf } from './faces.js';
import { examples, thresholdOption, withFaceOptions, type FaceFlags } from './options.js';

interface Flags extends FaceFlags {
  gallery: string;
  out?: string;
  json?: boolean;
  threshold?: number;
  save: boolean;
}

export function define(command: Command): Command {
  withFaceOptions(command
    .description('Every face in a photo, named from a gallery: the enrolled person or earlier ID it matches best, at or above ' +
      'the threshold; a face matching nobody gets a new ID (ID_0, ID_1 …), added to the gallery so that later photos of ' +
      'that face match it. What is added is said on stderr.')
    .argument('<image>', 'a photo (JPEG or PNG)')
    .requiredOption('--gallery <FILE>', 'the gallery (JSON; created when missing, written atomically under a lock)')
    .option('--no-save', 'only read the gallery: new faces are given IDs for this run, not saved')
    .option('--out <FILE.png>', 'also write the photo with every face boxed and labelled')
    .option('--json', 'print {image, threshold, faces: [{identity, new, cosine, box, landmarks, score}], added, saved} as JSON'), { crops: true, minFace: MIN_FACE_SIZE })
    .addOption(thresholdOption(`the cosine from which a face is the identity it matches (default: ${ALIGNED_THRESHOLD}; ${SAME_PERSON_THRESHOLD} with --no-detect)`));
  return examples(command, [
    'facereid identify party.jpg --gallery team.json --out party-named.png',
    'facereid identify party.jpg --gallery team.json --no-save --json',
    'facereid identify --no-detect crop.png --gallery crops.json   # a tight face crop: one face, the whole image',
  ]);
}

export async function run(image: string, flags: Flags): Promise<number> {
  const threshold = thresholdOf(flags);
  const found = await loadFaces(flags);
  const space = await spaceOf(found.embedder);
  // Refused now, before the slow work: a gallery that cannot be read, or written when it is to be saved.
  const gallery = readGallery(flags.gallery, space, { writable: flags.save });
  const { pixels, faces } = await found.inPhoto(image);
  // New IDs are given under the gallery's lock, against the gallery as it is then.
  let matches: Match[] = [];
  const identifyIn = (g: Gallery) => {
    matches = match(g, faces.map((f) => f.embedding), threshold, true);
    return matches.some((m) => m.isNew); // written only when a new ID was given
  };
  if (flags.save) await updateGallery(flags.gallery, space, identifyIn);
  else identifyIn(gallery);
  const added = matches.filter((m) => m.isNew).map((m) => m.name);

  const results = faces.map((face, i) => ({ identity: matches[i].name, new: matches[i].isNew, cosine: matches[i].cosine, ...placeOf(face) }));
  if (flags.out) {
    const labels = results.map((r) => `${r.identity}${r.new ? ' (new)' : ` ${r.cosine.toFixed(2)}`}`);
    writeFileSync(flags.out, annotate(pixels, faces.map((face, i) => ({ ...face, label: labels[i], known: !matches[i].anonymous }))).toPng());
  }
  if (added.length > 0) {
    process.stderr.write(flags.save ? `facereid: ${flags.gallery}: added ${added.join(', ')}\n`
      : `facereid: ${flags.gallery}: not saved (--no-save); new IDs for this run only: ${added.join(', ')}\n`);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ image, threshold, faces: results, added, saved: flags.save && added.length > 0 })}\n`);
  } else {
    if (faces.length === 0) process.stdout.write(`${image}: no faces found\n`);
    for (const r of results) {
      const { x, y, width, height } = r.box;
      process.stdout.write(`${r.identity.padEnd(12)} ${r.new ? 'new ID   ' : `cos ${r.cosine.toFixed(3)}`}  box ${x},${y} ${width}x${height}\n`);
    }
  }
  return 0;
}
