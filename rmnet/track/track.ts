// One tracked face: where it was last seen, how it moves, what it looks like (the mean of its
// embeddings), and whether it has been seen often enough to be trusted with an identity.

import { normalize } from '../embedder.js';
import type { Face } from '../mtcnn/index.js';
import type { Rect } from './boxes.js';
import type { Identity } from './identities.js';

export class Track {
  box: Rect;
  landmarks: [number, number][];
  score: number;
  lastSeen: number;
  /** Observations of the whole face matched by appearance: they make the mean, and confirm the track. */
  hits = 0;
  /** Set when the track is confirmed. */
  identity?: Identity;
  /** Box centre's motion, pixels per frame (smoothed). */
  private velocity = { x: 0, y: 0 };
  private observations = 1;
  private sum?: Float32Array;
  /** The face's latest embedding (it is not embedded in every frame: see tracker.ts). */
  embedding: Float32Array;

  constructor(readonly number: number, face: Face, embedding: Float32Array, frame: number) {
    this.box = face.box;
    this.landmarks = face.landmarks;
    this.score = face.score;
    this.lastSeen = frame;
    this.embedding = embedding;
  }

  /** What the face looks like: the mean of its whole-face embeddings, or the latest embedding before there is one. */
  appearance(): Float32Array {
    return this.sum ? normalize(this.sum) : this.embedding;
  }

  /** Where the box should be in `frame`, moving on at its velocity. */
  predicted(frame: number): Rect {
    const gap = frame - this.lastSeen;
    return { ...this.box, x: this.box.x + this.velocity.x * gap, y: this.box.y + this.velocity.y * gap };
  }

  /**
   * Takes a new observation, with its embedding when it was embedded; `trusted` embeddings (a
   * whole face, matched by appearance) join the mean.
   */
  observe(face: Face, frame: number, embedding?: Float32Array, trusted = false): void {
    const gap = frame - this.lastSeen;
    const moved = {
      x: (face.box.x + face.box.width / 2 - (this.box.x + this.box.width / 2)) / gap,
      y: (face.box.y + face.box.height / 2 - (this.box.y + this.box.height / 2)) / gap,
    };
    this.velocity = this.observations++ === 1 ? moved : { x: (this.velocity.x + moved.x) / 2, y: (this.velocity.y + moved.y) / 2 };
    this.box = face.box;
    this.landmarks = face.landmarks;
    this.score = face.score;
    this.lastSeen = frame;
    if (!embedding) return;
    this.embedding = embedding;
    if (trusted) this.add(embedding);
  }

  /** Adds a whole-face embedding to the mean. */
  add(embedding: Float32Array): void {
    this.sum ??= new Float32Array(embedding.length);
    for (let i = 0; i < embedding.length; i++) this.sum[i] += embedding[i];
    this.hits++;
  }
}
