import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { enroll as addToGallery, checkName, spaceOf } from '../rmnet/gallery.js';
import { readGallery, updateGallery } from '../rmnet/gallery-file.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { MODEL_OPTIONS, modelOptions, parse, UsageError } from './usage.js';

const IMAGE = /^\.(jpe?g|png)$/i;

/** The photos to enroll, by name: --name NAME img…, or --folder DIR holding DIR/<name>/*.jpg|png. */
function photosByName(name: string | undefined, folder: string | undefined, images: string[]): Map<string, string[]> {
  if ((name === undefined) === (folder === undefined)) throw new UsageError('enroll needs either --name NAME with images, or --folder DIR');
  if (name !== undefined) {
    if (images.length === 0) throw new UsageError(`enroll --name ${name} needs at least one image`);
    return new Map([[name, images]]);
  }
  if (images.length > 0) throw new UsageError('enroll --folder takes no image arguments');
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

/** facereid enroll --gallery g.json (--name NAME img… | --folder DIR): the largest face of each photo. */
export async function enroll(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    ...MODEL_OPTIONS, gallery: { type: 'string' }, name: { type: 'string' }, folder: { type: 'string' },
  } });
  if (!values.gallery) throw new UsageError('enroll needs --gallery FILE.json');
  const people = photosByName(values.name, values.folder, positionals);
  for (const name of people.keys()) checkName(name);
  const pipeline = await FacePipeline.load(modelOptions(values));
  const space = await spaceOf(pipeline.embedder);
  readGallery(values.gallery, space, { writable: true }); // a gallery that cannot take these faces is refused before the slow work
  const enrolled = new Map<string, Float32Array[]>();
  for (const [name, photos] of people) {
    const embeddings: Float32Array[] = [];
    for (const photo of photos) {
      const face = await pipeline.largestFace(photo);
      if (face) embeddings.push(face.embedding);
      else process.stderr.write(`facereid: ${photo}: no face found, skipped\n`);
    }
    if (embeddings.length > 0) enrolled.set(name, embeddings);
  }
  if (enrolled.size === 0) throw new UsageError('no face found in any photo: nothing enrolled, gallery unchanged');
  await updateGallery(values.gallery, space, (gallery) => {
    for (const [name, embeddings] of enrolled) addToGallery(gallery, name, embeddings);
    return true;
  });
  for (const [name, embeddings] of enrolled) process.stdout.write(`${name}: ${embeddings.length} photo(s) enrolled\n`);
  return 0;
}
