import { writeFileSync } from 'node:fs';
import { identify as match, spaceOf, type Gallery, type Match } from '../rmnet/gallery.js';
import { readGallery, updateGallery } from '../rmnet/gallery-file.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { ALIGNED_THRESHOLD } from '../rmnet/verify.js';
import { annotate } from '../viz/annotate.js';
import { MODEL_OPTIONS, modelOptions, numberOption, parse, UsageError } from './usage.js';

const round = (v: number) => Math.round(v * 10) / 10;

/**
 * facereid identify <image> --gallery g.json [--out annotated.png] [--json] [--threshold T] [--no-reid]:
 * each face's identity (best cosine per identity at or above the threshold); faces matching
 * nobody get new stable IDs (ID_0, ID_1 …) saved in the gallery, unless --no-reid.
 */
export async function identify(args: string[]): Promise<number> {
  const { values, positionals } = parse({ args, allowPositionals: true, options: {
    ...MODEL_OPTIONS, gallery: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    threshold: { type: 'string' }, 'no-reid': { type: 'boolean' },
  } });
  if (positionals.length !== 1) throw new UsageError(`identify takes one image, got ${positionals.length}`);
  if (!values.gallery) throw new UsageError('identify needs --gallery FILE.json');
  const threshold = numberOption(values.threshold, 'threshold', ALIGNED_THRESHOLD);
  const reidentify = !values['no-reid'];

  const pipeline = await FacePipeline.load(modelOptions(values));
  const space = await spaceOf(pipeline.embedder);
  // Refused now, before the slow work: a gallery that cannot be read, or written when new IDs may be saved.
  const gallery = readGallery(values.gallery, space, { writable: reidentify });
  const wasEmpty = gallery.identities.length === 0;
  const { pixels, faces } = await pipeline.faces(positionals[0]);
  // New IDs are given under the gallery's lock, against the gallery as it is then.
  let matches: Match[] = [];
  const identifyIn = (g: Gallery) => {
    matches = match(g, faces.map((f) => f.embedding), threshold, reidentify);
    return matches.some((m) => m.isNew); // written only when a new ID was given
  };
  if (reidentify) await updateGallery(values.gallery, space, identifyIn);
  else identifyIn(gallery);

  const results = faces.map((face, i) => ({
    box: { x: round(face.box.x), y: round(face.box.y), width: round(face.box.width), height: round(face.box.height) },
    landmarks: face.landmarks.map(([x, y]) => [round(x), round(y)]),
    score: face.score,
    identity: matches[i].name,
    cosine: matches[i].cosine,
    new: matches[i].isNew,
  }));
  if (values.out) {
    const labels = results.map((r) => `${r.identity}${r.new ? ' (new)' : ` ${r.cosine.toFixed(2)}`}`);
    writeFileSync(values.out, annotate(pixels, faces.map((face, i) => ({ ...face, label: labels[i], known: !matches[i].anonymous }))).toPng());
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ image: positionals[0], threshold, faces: results })}\n`);
  } else {
    if (faces.length === 0) process.stdout.write(`${positionals[0]}: no faces found\n`);
    if (wasEmpty && !reidentify) process.stdout.write('the gallery is empty: enroll people first (facereid enroll), or drop --no-reid\n');
    for (const r of results) {
      const { x, y, width, height } = r.box;
      process.stdout.write(`${r.identity.padEnd(12)} ${r.new ? 'new ID   ' : `cos ${r.cosine.toFixed(3)}`}  box ${x},${y} ${width}x${height}\n`);
    }
  }
  return 0;
}
