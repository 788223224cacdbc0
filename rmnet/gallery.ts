// A gallery: named identities, each with the embeddings it was enrolled from, plus the
// anonymous identities (ID_0, ID_1, …) that re-identification creates for faces matching
// nobody. Stored as versioned JSON; written atomically (temporary file, fsync, rename), so a
// crash leaves either the old file or the new one, never half of one. A file that is not a
// gallery, or one made with a different model, is refused and never overwritten.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cosine, type Embedder } from './embedder.js';

export const GALLERY_FORMAT = 'facereid-gallery';
export const GALLERY_VERSION = 1;

/** Which embedding space a gallery lives in: two models are compatible when they embed the
 *  same fixed probe image alike (so the Caffe, FP32 and FP16 IR forms of one model agree). */
export interface ModelIdentity {
  name: string;
  embeddingSize: number;
  /** The model's embedding of `probeImage()`. */
  probe: number[];
}

export interface Identity {
  name: string;
  /** true for IDs given by re-identification (ID_0 …), false for enrolled people. */
  anonymous: boolean;
  embeddings: number[][];
}

export interface Gallery {
  format: typeof GALLERY_FORMAT;
  version: typeof GALLERY_VERSION;
  model: ModelIdentity;
  /** The number the next anonymous identity gets. */
  nextId: number;
  identities: Identity[];
}

export class GalleryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GalleryError';
  }
}

/** Cosine of probe embeddings above which two models count as the same embedding space. */
const SAME_MODEL = 0.999;

/** A fixed, deterministic 3x128x128 input (smooth colour gradients) used as the model's fingerprint. */
export function probeImage(size = 128): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = y * size + x;
      out[p] = (255 * x) / (size - 1);
      out[plane + p] = (255 * y) / (size - 1);
      out[2 * plane + p] = 127.5 + 127.5 * Math.sin((x + y) / 9);
    }
  }
  return out;
}

/** The identity of the model an embedder runs (its probe embedding is computed without flip). */
export async function identityOf(embedder: Embedder): Promise<ModelIdentity> {
  const [probe] = await embedder.embedTensor(probeImage(), 1, false);
  return { name: embedder.graph.name, embeddingSize: probe.length, probe: Array.from(probe) };
}

export function emptyGallery(model: ModelIdentity): Gallery {
  return { format: GALLERY_FORMAT, version: GALLERY_VERSION, model, nextId: 0, identities: [] };
}

const isNumberArray = (v: unknown, length?: number): v is number[] =>
  Array.isArray(v) && (length === undefined || v.length === length) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Checks a parsed gallery's structure; every complaint names the file and the place. */
function validate(data: unknown, file: string): Gallery {
  const fail = (what: string): never => {
    throw new GalleryError(`${file}: not a usable facereid gallery: ${what} (the file is left untouched)`);
  };
  if (typeof data !== 'object' || data === null) fail('not a JSON object');
  const g = data as Record<string, unknown>;
  if (g.format !== GALLERY_FORMAT) fail(`"format" is ${JSON.stringify(g.format)}, expected "${GALLERY_FORMAT}"`);
  if (g.version !== GALLERY_VERSION) fail(`version ${JSON.stringify(g.version)} is not supported (supported: ${GALLERY_VERSION})`);
  const model = g.model as Record<string, unknown> | undefined;
  if (!model || typeof model.name !== 'string' || typeof model.embeddingSize !== 'number' || !isNumberArray(model.probe, model.embeddingSize)) {
    fail('"model" must hold name, embeddingSize and a probe embedding of that size');
  }
  if (typeof g.nextId !== 'number' || !Number.isInteger(g.nextId) || g.nextId < 0) fail('"nextId" must be a whole number');
  if (!Array.isArray(g.identities)) fail('"identities" must be an array');
  const size = (model as { embeddingSize: number }).embeddingSize;
  (g.identities as unknown[]).forEach((entry, i) => {
    const id = entry as Record<string, unknown>;
    if (typeof id?.name !== 'string' || id.name === '') fail(`identity ${i} has no name`);
    if (typeof id.anonymous !== 'boolean') fail(`identity ${i} ('${id.name}') lacks "anonymous"`);
    if (!Array.isArray(id.embeddings) || id.embeddings.length === 0 || !id.embeddings.every((e) => isNumberArray(e, size))) {
      fail(`identity ${i} ('${id.name}') must have embeddings of ${size} numbers`);
    }
  });
  return data as Gallery;
}

/** Reads a gallery file; a missing file gives an empty gallery for `model`. */
export function readGallery(file: string, model: ModelIdentity): Gallery {
  if (!existsSync(file)) return emptyGallery(model);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GalleryError(`${file}: not a usable facereid gallery: ${(error as Error).message} (the file is left untouched)`);
  }
  const gallery = validate(data, file);
  const similarity = cosine(gallery.model.probe, model.probe);
  if (gallery.model.embeddingSize !== model.embeddingSize || !(similarity >= SAME_MODEL)) {
    throw new GalleryError(`${file}: made with model '${gallery.model.name}', whose embeddings differ from those of '${model.name}'` +
      ` (probe cosine ${similarity.toFixed(4)}); refusing to mix them (the file is left untouched)`);
  }
  return gallery;
}

/** The steps of an atomic write, injectable so tests can simulate a crash between them. */
export interface WriteSteps {
  rename: (from: string, to: string) => void;
}

/** Writes the gallery atomically: a temporary file beside it, fsync, then rename over it. */
export function writeGallery(file: string, gallery: Gallery, steps: WriteSteps = { rename: renameSync }): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, `${JSON.stringify(gallery, null, 1)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  steps.rename(temporary, file);
  // Make the rename itself durable: fsync the directory (not possible on every platform).
  try {
    const dir = openSync(dirname(file), 'r');
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* directories cannot be opened for fsync on Windows */ }
}

/** Adds embeddings to a named identity, creating it when new. */
export function enroll(gallery: Gallery, name: string, embeddings: Float32Array[]): void {
  if (/^ID_\d+$/.test(name)) throw new GalleryError(`'${name}' is reserved for re-identified faces; choose another name`);
  let identity = gallery.identities.find((i) => i.name === name);
  if (!identity) {
    identity = { name, anonymous: false, embeddings: [] };
    gallery.identities.push(identity);
  }
  identity.embeddings.push(...embeddings.map((e) => Array.from(e)));
}

export interface Match {
  /** The identity's name, or the new ID given to a face that matched nobody. */
  name: string;
  /** Best cosine to the identity (to the face itself, 1, for a new ID). */
  cosine: number;
  /** true when re-identification created this ID now. */
  isNew: boolean;
  anonymous: boolean;
}

/** Best cosine of an embedding to each identity (the max over its embeddings), best first. */
export function rank(gallery: Gallery, embedding: Float32Array): { identity: Identity; cosine: number }[] {
  return gallery.identities
    .map((identity) => ({ identity, cosine: Math.max(...identity.embeddings.map((e) => cosine(e, embedding))) }))
    .sort((a, b) => b.cosine - a.cosine);
}

/**
 * Identifies each face: the best identity at or above the threshold. With `reidentify`, a face
 * matching nobody becomes a new anonymous identity ID_n (kept in the gallery, so the same face
 * in a later photo matches it). Faces of one photo are different people: two faces never take
 * the same identity (the better match keeps it; the other tries its next best).
 */
export function identify(gallery: Gallery, embeddings: Float32Array[], threshold: number, reidentify: boolean): Match[] {
  const ranked = embeddings.map((e) => rank(gallery, e));
  const matches: (Match | undefined)[] = new Array(embeddings.length);
  const taken = new Set<string>();
  // Greedy assignment by descending cosine over all (face, identity) pairs above the threshold.
  const candidates = ranked
    .flatMap((list, face) => list.filter((r) => r.cosine >= threshold).map((r) => ({ face, ...r })))
    .sort((a, b) => b.cosine - a.cosine);
  for (const c of candidates) {
    if (matches[c.face] || taken.has(c.identity.name)) continue;
    matches[c.face] = { name: c.identity.name, cosine: c.cosine, isNew: false, anonymous: c.identity.anonymous };
    taken.add(c.identity.name);
  }
  return embeddings.map((embedding, face) => {
    const match = matches[face];
    if (match || !reidentify) return match ?? { name: 'unknown', cosine: ranked[face][0]?.cosine ?? 0, isNew: false, anonymous: true };
    const name = `ID_${gallery.nextId++}`;
    gallery.identities.push({ name, anonymous: true, embeddings: [Array.from(embedding)] });
    return { name, cosine: 1, isNew: true, anonymous: true };
  });
}
