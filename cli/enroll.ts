// facereid enroll --gallery g.json (--name NAME <image...> | --folder DIR): adds the largest face
// of each photo (with --no-detect: each photo, a tight face crop) to the gallery under a name. A
// face that already matches another enrolled person is refused, naming the match (--force enrolls
// it anyway).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import { enroll as addToGallery, checkName, rank, spaceOf, type Gallery } from '../rmnet/gallery.js';
import { readGallery, updateGallery } from '../rmnet/gallery-file.js';
import { NoFaceError } from '../rmnet/pipeline.js';
import { ALIGNED_THRESHOLD, SAME_PERSON_THRESHOLD } from '../rmnet/verify.js';
import { MIN_FACE_SIZE } from '../rmnet/mtcnn/detector.js';
import { loadFaces, thresholdOf } from './faces.js';
import { examples, thresholdOption, withFaceOptions, type FaceFlags } from './options.js';
import { UsageError } from './usage.js';

const IMAGE = /^\.(jpe?g|png)$/i;

interface Flags extends FaceFlags {
  gallery: string;
  name?: string;
  folder?: string;
  threshold?: number;
  force?: boolean;
}

export function define(command: Command): Command {
  withFaceOptions(command
    .description('Adds people to a gallery file (created when missing): the largest face of each photo, under a name. ' +
      'A face that already matches another enrolled person is refused, naming the match, unless --force.')
    .argument('[image...]', 'photos of the person named by --name')
    .requiredOption('--gallery <FILE>', 'the gallery (JSON; written atomically, under a lock)')
    .option('--name <NAME>', "the person's name")
    .option('--folder <DIR>', 'enroll DIR/<name>/*.jpg|png, one person per folder'), { crops: true, minFace: MIN_FACE_SIZE })
    .addOption(thresholdOption(`the cosine from which a face matches an enrolled person (default: ${ALIGNED_THRESHOLD}; ${SAME_PERSON_THRESHOLD} with --no-detect)`))
    .option('--force', 'enroll a face even when it matches another person');
  return examples(command, [
    'facereid enroll --gallery team.json --name alice alice1.jpg alice2.jpg',
    'facereid enroll --gallery team.json --folder people/     # people/alice/*.jpg, people/bob/*.jpg',
    'facereid enroll --gallery crops.json --no-detect --name alice alice-crop.png   # a tight face crop, resized whole',
  ]);
}

/** The photos to enroll, by name: --name NAME img…, or --folder DIR holding DIR/<name>/*.jpg|png. */
function photosByName(name: string | undefined, folder: string | undefined, images: string[]): Map<string, string[]> {
  if ((name === undefined) === (folder === undefined)) throw new UsageError('enroll needs either --name NAME with images, or --folder DIR');
  if (name !== undefined) {
    if (images.length === 0) throw new UsageError(`enroll --name ${name} needs at least one image`);
    return new Map([[name, images]]);
  }
  if (images.length > 0) throw new UsageError('enroll --folder takes no image arguments');
  if (!existsSync(folder!) || !statSync(folder!).isDirectory()) throw new UsageError(`--folder ${folder}: no such folder`);
  const people = new Map<string, string[]>();
  for (const entry of readdirSync(folder!).sort()) {
    const dir = join(folder!, entry);
    if (!statSync(dir).isDirectory()) continue;
    const photos = readdirSync(dir).filter((f) => IMAGE.test(extname(f))).sort().map((f) => join(dir, f));
    if (photos.length > 0) people.set(entry, photos);
  }
  if (people.size === 0) throw new UsageError(`${folder}: no <name>/*.jpg or *.png photos found`);
  return people;
}

/** The best match of a face among the gallery's enrolled people other than `name`, at or above the threshold. */
function otherPerson(gallery: Gallery, name: string, embedding: Float32Array, threshold: number) {
  return rank(gallery, embedding).find((r) => !r.identity.anonymous && r.identity.name !== name && r.cosine >= threshold);
}

export async function run(images: string[], flags: Flags): Promise<number> {
  const people = photosByName(flags.name, flags.folder, images);
  for (const name of people.keys()) checkName(name);
  const threshold = thresholdOf(flags);
  const faces = await loadFaces(flags);
  const space = await spaceOf(faces.embedder);
  readGallery(flags.gallery, space, { writable: true }); // a gallery that cannot take these faces is refused before the slow work
  const found: { name: string; photo: string; embedding: Float32Array }[] = [];
  for (const [name, photos] of people) {
    for (const photo of photos) {
      try {
        const [{ embedding }] = await faces.embedOne([photo]);
        found.push({ name, photo, embedding });
      } catch (error) {
        if (!(error instanceof NoFaceError)) throw error;
        process.stderr.write(`facereid: ${error.message}, skipped\n`);
      }
    }
  }
  if (found.length === 0) throw new UsageError('no face found in any photo: nothing enrolled, gallery unchanged');

  // Checked and added under the gallery's lock, against the gallery as it is then (faces enrolled earlier in this run included).
  const enrolled = new Map<string, number>();
  await updateGallery(flags.gallery, space, (gallery) => {
    for (const { name, photo, embedding } of found) {
      const match = otherPerson(gallery, name, embedding, threshold);
      if (match) {
        const what = `${photo}: this face matches '${match.identity.name}' (cosine ${match.cosine.toFixed(3)} >= ${threshold})`;
        process.stderr.write(flags.force ? `facereid: ${what}; enrolled as '${name}' anyway (--force)\n`
          : `facereid: ${what}; not enrolled as '${name}' (--force enrolls it anyway)\n`);
        if (!flags.force) continue;
      }
      addToGallery(gallery, name, [embedding]);
      enrolled.set(name, (enrolled.get(name) ?? 0) + 1);
    }
    return enrolled.size > 0;
  });
  if (enrolled.size === 0) throw new UsageError(`nothing enrolled: every face matches another person; ${flags.gallery} unchanged`);
  for (const [name, count] of enrolled) process.stdout.write(`${name}: ${count} photo(s) enrolled in ${flags.gallery}\n`);
  return 0;
}
