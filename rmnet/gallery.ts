// A gallery: named identities, each with the embeddings it was enrolled from, plus the
// anonymous identities (ID_0, ID_1, …) that re-identification creates for faces matching
// nobody. This file holds the format (versioned JSON), its strict parsing, and the operations
// on a gallery in memory; it has no file access, so the web page uses it too. Reading and
// writing gallery files (atomic, locked against concurrent writers) is gallery-file.ts.
//
// A gallery lives in one embedding space: the model that made its embeddings (recognised by
// the model's embedding of a fixed probe image, so the Caffe, FP32 and FP16 IR forms of one
// model share a gallery) and whether each embedding was flip-averaged. Embeddings from another
// space are refused, never mixed in.

import { DEFAULT_LIMITS } from '../engine/limits.js';
import type { Embedder } from './embedder.js';
import { cosine } from './vector.js';

export const GALLERY_FORMAT = 'facereid-gallery';
/** Version 2 added `flip`. A version-1 file reads as flip: false (what it was made with unless
 *  the user asked for --flip) and is written back as version 2 by the next change. */
export const GALLERY_VERSION = 2;

/** Deepest JSON nesting read: a gallery's own is 5 (file, identities, identity, embeddings, embedding). */
export const MAX_GALLERY_DEPTH = 8;
/** Longest identity or model name, in characters. */
export const MAX_NAME_LENGTH = 256;
/** Largest embedding size (the model's output length) a gallery may declare. */
export const MAX_EMBEDDING_SIZE = 4096;

/** Cosine of probe embeddings above which two models count as the same embedding space. */
const SAME_MODEL = 0.999;
/** Names re-identification gives; an enrolled person cannot take one. */
const ANONYMOUS_NAME = /^ID_(\d+)$/;

/** Which model a gallery's embeddings come from. */
export interface ModelIdentity {
  name: string;
  embeddingSize: number;
  /** The model's embedding of `probeImage()`. */
  probe: number[];
}

/** What embeddings must share to be compared and stored together. */
export interface EmbeddingSpace {
  model: ModelIdentity;
  /** Each embedding is the average of the face's and its mirror image's (Embedder's `flip`). */
  flip: boolean;
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
  flip: boolean;
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

/** The embedding space of an embedder's output: its model, and its flip setting. */
export async function spaceOf(embedder: Embedder): Promise<EmbeddingSpace> {
  return { model: await identityOf(embedder), flip: embedder.flip };
}

export function emptyGallery(space: EmbeddingSpace): Gallery {
  return { format: GALLERY_FORMAT, version: GALLERY_VERSION, model: space.model, flip: space.flip, nextId: 0, identities: [] };
}

/** The gallery as its file holds it: JSON with one line per field, and per identity. */
export function serializeGallery(gallery: Gallery): string {
  const { identities, ...head } = gallery;
  const fields = Object.entries(head).map(([key, value]) => ` ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`);
  const lines = identities.map((identity) => `  ${JSON.stringify(identity)}`).join(',\n');
  return `{\n${fields.join('')} "identities": [${lines ? `\n${lines}\n ` : ''}]\n}\n`;
}

/** An embedding as a gallery stores it: each float32 written with 9 significant digits, which
 *  give back exactly the same float32 (IEEE 754: 9 digits round-trip binary32) in about half
 *  the characters of the float32's double expansion. */
const stored = (embedding: Float32Array): number[] => Array.from(embedding, (x) => Number(x.toPrecision(9)));

/**
 * Parses a gallery's text (`file` names it in every message). Refuses, naming the place: text
 * over `maxBytes`, nesting deeper than MAX_GALLERY_DEPTH (counted before JSON.parse builds
 * anything), invalid JSON (line and column), and anything outside the schema: missing or
 * mistyped fields, and unknown fields — refused rather than dropped, because the file would be
 * written back without them. A version-1 gallery comes back as version 2 with flip: false.
 */
export function parseGallery(text: string, file: string, maxBytes = DEFAULT_LIMITS.galleryBytes): Gallery {
  const fail = (what: string): never => {
    throw new GalleryError(`${file}: not a usable facereid gallery: ${what}`);
  };
  if (text.length > maxBytes) fail(`${text.length} characters, over the limit of ${maxBytes} bytes`);
  const deep = tooDeepAt(text, MAX_GALLERY_DEPTH);
  if (deep >= 0) fail(`nested deeper than ${MAX_GALLERY_DEPTH} levels at ${lineColumn(text, deep)}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the fault, line breaks included: one line here.
    const message = (error as Error).message.replace(/\s+/g, ' ');
    const at = /at position (\d+)/.exec(message);
    fail(`invalid JSON: ${message}${at ? ` (${lineColumn(text, Number(at[1]))})` : ''}`);
  }
  return validate(data, fail);
}

/** Index of the first bracket nested deeper than `max` (outside strings), or -1. Iterative, so
 *  any depth is safe to look at. */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

/** "line L, column C" (1-based) of a character index. */
function lineColumn(text: string, index: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${index - start + 1}`;
}

/** A short, one-line picture of a value for messages (strings quoted and cut, containers by kind). */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Refuses an object with a field outside `known`, or without one of `known`. */
function checkFields(value: Fields, known: readonly string[], where: string, fail: (what: string) => never): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`unknown field ${show(key)} in ${where} (unknown fields are refused, not dropped)`);
  }
  for (const key of known) if (!Object.hasOwn(value, key)) fail(`${where} lacks "${key}"`);
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME_LENGTH;

/** A vector of `length` finite numbers (an array, or a Float32Array), or the reason it is not. */
function vectorProblem(v: unknown, length: number): string | undefined {
  if (!Array.isArray(v) && !(v instanceof Float32Array)) return `is ${show(v)}, not an array of numbers`;
  if (v.length !== length) return `has ${v.length} numbers, expected ${length}`;
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return `element ${i} is ${show(v[i])}, not a finite number`;
  }
  return undefined;
}

/** Checks a parsed gallery against the schema and returns it as a fresh, current-version object. */
function validate(data: unknown, fail: (what: string) => never): Gallery {
  if (!isObject(data)) return fail(`the file holds ${show(data)}, not a JSON object`);
  if (data.format !== GALLERY_FORMAT) fail(`"format" is ${show(data.format)}, expected "${GALLERY_FORMAT}"`);
  if (data.version !== 1 && data.version !== GALLERY_VERSION) fail(`version ${show(data.version)} is not supported (supported: 1, ${GALLERY_VERSION})`);
  const v1 = data.version === 1;
  checkFields(data, v1 ? ['format', 'version', 'model', 'nextId', 'identities'] : ['format', 'version', 'model', 'flip', 'nextId', 'identities'], 'the gallery', fail);

  const model = data.model;
  if (!isObject(model)) return fail(`"model" is ${show(model)}, not an object`);
  checkFields(model, ['name', 'embeddingSize', 'probe'], '"model"', fail);
  if (!isName(model.name)) fail(`"model"."name" must be a name of 1 to ${MAX_NAME_LENGTH} characters, got ${show(model.name)}`);
  const size = model.embeddingSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_EMBEDDING_SIZE) {
    return fail(`"model"."embeddingSize" must be a whole number from 1 to ${MAX_EMBEDDING_SIZE}, got ${show(size)}`);
  }
  const probeProblem = vectorProblem(model.probe, size);
  if (probeProblem) fail(`"model"."probe" ${probeProblem}`);
  if (!v1 && typeof data.flip !== 'boolean') fail(`"flip" is ${show(data.flip)}, expected true or false`);
  const nextId = data.nextId;
  if (typeof nextId !== 'number' || !Number.isSafeInteger(nextId) || nextId < 0) return fail(`"nextId" is ${show(nextId)}, expected a whole number >= 0`);
  if (!Array.isArray(data.identities)) return fail(`"identities" is ${show(data.identities)}, not an array`);

  const seen = new Map<string, number>();
  const identities = data.identities as unknown[];
  for (let i = 0; i < identities.length; i++) {
    const id = identities[i];
    if (!isObject(id)) return fail(`identity ${i} is ${show(id)}, not an object`);
    checkFields(id, ['name', 'anonymous', 'embeddings'], `identity ${i}`, fail);
    if (!isName(id.name)) return fail(`identity ${i}: "name" must be a name of 1 to ${MAX_NAME_LENGTH} characters, got ${show(id.name)}`);
    const where = `identity ${i} (${show(id.name)})`;
    if (seen.has(id.name)) fail(`${where} repeats the name of identity ${seen.get(id.name)}`);
    seen.set(id.name, i);
    if (typeof id.anonymous !== 'boolean') fail(`${where}: "anonymous" is ${show(id.anonymous)}, expected true or false`);
    const numbered = ANONYMOUS_NAME.exec(id.name);
    if (id.anonymous && !(numbered && Number(numbered[1]) < nextId)) fail(`${where} is anonymous but not named ID_n with n below "nextId" (${nextId})`);
    if (!id.anonymous && numbered) fail(`${where} is a re-identification name but not marked anonymous`);
    if (!Array.isArray(id.embeddings) || id.embeddings.length === 0) fail(`${where}: "embeddings" must be a non-empty array`);
    const embeddings = id.embeddings as unknown[];
    for (let e = 0; e < embeddings.length; e++) {
      const problem = vectorProblem(embeddings[e], size);
      if (problem) fail(`${where}: embedding ${e} ${problem}`);
    }
  }
  return {
    format: GALLERY_FORMAT,
    version: GALLERY_VERSION,
    model: model as unknown as ModelIdentity,
    flip: v1 ? false : data.flip as boolean,
    nextId,
    identities: identities as Identity[],
  };
}

/**
 * Checks that embeddings from `space` may join a gallery (`file` names it): the same model, and
 * the same flip setting — except that a gallery holding no identity yet takes the space's flip.
 */
export function matchSpace(gallery: Gallery, space: EmbeddingSpace, file: string): void {
  const similarity = cosine(gallery.model.probe, space.model.probe);
  if (gallery.model.embeddingSize !== space.model.embeddingSize || !(similarity >= SAME_MODEL)) {
    throw new GalleryError(`${file}: made with model '${gallery.model.name}', whose embeddings differ from those of '${space.model.name}'` +
      ` (probe cosine ${similarity.toFixed(4)}); refusing to mix them`);
  }
  if (gallery.flip === space.flip) return;
  if (gallery.identities.length === 0) {
    gallery.flip = space.flip;
    return;
  }
  const made = (flip: boolean) => (flip ? 'with flip-averaging' : 'without flip-averaging');
  throw new GalleryError(`${file}: the gallery's embeddings were made ${made(gallery.flip)}, these ${made(space.flip)}; ` +
    `refusing to mix them: use ${gallery.flip ? '--flip' : '--no-flip'} with this gallery (library: flip: ${gallery.flip}), or another gallery file`);
}

/** Refuses a name an enrolled person cannot have (empty, too long, or a re-identification ID). */
export function checkName(name: string): void {
  if (!isName(name)) throw new GalleryError(`a person's name must have 1 to ${MAX_NAME_LENGTH} characters, got ${show(name)}`);
  if (ANONYMOUS_NAME.test(name)) throw new GalleryError(`${show(name)} is reserved for re-identified faces; choose another name`);
}

/** Refuses embeddings of the wrong size or with non-finite values before they enter a gallery. */
function checkEmbeddings(gallery: Gallery, embeddings: readonly Float32Array[]): void {
  for (let i = 0; i < embeddings.length; i++) {
    const problem = vectorProblem(embeddings[i], gallery.model.embeddingSize);
    if (problem) throw new GalleryError(`embedding ${i} ${problem}; nothing was added to the gallery`);
  }
}

/** Adds embeddings to a named identity, creating it when new. */
export function enroll(gallery: Gallery, name: string, embeddings: readonly Float32Array[]): void {
  checkName(name);
  if (embeddings.length === 0) throw new GalleryError(`enrolling ${show(name)} needs at least one embedding`);
  checkEmbeddings(gallery, embeddings);
  let identity = gallery.identities.find((i) => i.name === name);
  if (!identity) {
    identity = { name, anonymous: false, embeddings: [] };
    gallery.identities.push(identity);
  }
  for (const e of embeddings) identity.embeddings.push(stored(e));
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
    .map((identity) => {
      let best = -Infinity;
      for (const e of identity.embeddings) best = Math.max(best, cosine(e, embedding));
      return { identity, cosine: best };
    })
    .sort((a, b) => b.cosine - a.cosine);
}

/**
 * Identifies each face: the best identity at or above the threshold. With `reidentify`, a face
 * matching nobody becomes a new anonymous identity ID_n (kept in the gallery, so the same face
 * in a later photo matches it). Faces of one photo are different people: two faces never take
 * the same identity (the better match keeps it; the other tries its next best).
 */
export function identify(gallery: Gallery, embeddings: Float32Array[], threshold: number, reidentify: boolean): Match[] {
  checkEmbeddings(gallery, embeddings);
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
    gallery.identities.push({ name, anonymous: true, embeddings: [stored(embedding)] });
    return { name, cosine: 1, isNew: true, anonymous: true };
  });
}
