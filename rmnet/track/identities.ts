// Who the tracks are: enrolled people (from a gallery, read only) and the anonymous IDs the
// tracker gives to people it has not seen before. An identity is compared with a face by the
// best cosine over its reference embeddings: the enrolled photos, or, for an anonymous one,
// the mean embedding of every track that has held it (the live one's as it grows), so a
// person who leaves and comes back is recognised from any earlier stretch of them.

import { cosine } from '../embedder.js';
import type { Gallery } from '../gallery.js';
import type { Track } from './track.js';

export interface Identity {
  name: string;
  enrolled: boolean;
  /** Enrolled photos' embeddings, or the mean embeddings of the retired tracks that held it. */
  references: Float32Array[];
  /** The live track holding the identity, if any (at most one does). */
  holder?: Track;
  /** What the summary reports: frames in which the identity was shown, and how many tracks held it. */
  firstFrame: number;
  lastFrame: number;
  frames: number;
  tracks: number;
}

export class Identities {
  readonly all: Identity[];
  private nextId: number;

  /** Starts from the gallery's identities (its anonymous IDs count as people seen before) and its next ID number. */
  constructor(gallery?: Gallery) {
    this.all = (gallery?.identities ?? []).map((identity) => ({
      name: identity.name,
      enrolled: !identity.anonymous,
      references: identity.embeddings.map((e) => Float32Array.from(e)),
      firstFrame: -1, lastFrame: -1, frames: 0, tracks: 0,
    }));
    this.nextId = gallery?.nextId ?? 0;
  }

  /** Best cosine of an embedding to the identity: its references, plus its live track's mean if anonymous. */
  similarity(identity: Identity, embedding: Float32Array): number {
    const references = identity.holder && !identity.enrolled ? [...identity.references, identity.holder.appearance()] : identity.references;
    return references.reduce((best, reference) => Math.max(best, cosine(reference, embedding)), -1);
  }

  /** The identity most like the embedding at or above `threshold`, among those `available`; else undefined. */
  match(embedding: Float32Array, threshold: number, available: (identity: Identity) => boolean): Identity | undefined {
    let best: Identity | undefined, bestCosine = threshold;
    for (const identity of this.all) {
      if (!available(identity)) continue;
      const c = this.similarity(identity, embedding);
      if (c >= bestCosine) [best, bestCosine] = [identity, c];
    }
    return best;
  }

  /**
   * Names a person: the enrolled identity `name` takes `embedding` as one more reference. It is
   * `identity` itself, renamed, when that was anonymous and nobody has the name yet (an anonymous
   * identity joining an existing one brings its references: the same person seen before); an
   * enrolled identity keeps its own name, the new name being a new identity. Returns the named one.
   */
  name(identity: Identity, name: string, embedding: Float32Array): Identity {
    const named = this.all.find((i) => i.name === name) ?? (identity.enrolled ? this.add(name, true) : identity);
    if (named !== identity && !identity.enrolled) named.references.push(...identity.references.splice(0));
    named.name = name;
    named.enrolled = true;
    named.references.push(embedding);
    return named;
  }

  /** A new anonymous identity ID_n. */
  create(): Identity {
    return this.add(`ID_${this.nextId++}`, false);
  }

  private add(name: string, enrolled: boolean): Identity {
    const identity: Identity = { name, enrolled, references: [], firstFrame: -1, lastFrame: -1, frames: 0, tracks: 0 };
    this.all.push(identity);
    return identity;
  }
}
