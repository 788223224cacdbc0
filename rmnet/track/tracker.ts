// Frames in, tracks out. Frames are counted in the stream's own numbering: a live camera gives
// the newest frame whenever the previous one is done, so frames are skipped, and every count
// below (gaps, motion, the options) is in frames of the stream, not frames processed. Each frame:
//   1. find faces: the full MTCNN detector when `detectEvery` frames have passed since it last
//      ran; in between, only in a window around each track seen in the last RECENT frames or in
//      the last frame processed (follow.ts). Between detections a confirmed track seen in the
//      last FRESH frames whose window holds one face, overlapping where it was expected
//      (IoU >= 0.5) and found in no other track's window, simply moves there: that face is not
//      embedded (embedding is the costliest step; every face is embedded again at the next
//      detection);
//   2. keep the other faces that can be aligned, drop duplicates; align and embed them (one batch);
//   3. pair them with the remaining tracks (associate.ts: by appearance, then by overlap);
//   4. update the tracks; a face nobody claims starts a tentative track; a tentative track that
//      misses a frame is dropped; a confirmed one unseen for more than `maxGap` frames retires;
//   5. a tentative track seen whole `confirmHits` times is confirmed and gets an identity: the
//      enrolled person or earlier ID its mean embedding matches best at or above the threshold,
//      among identities no track in this frame holds; failing that, a new ID_n.
// The frame's result lists the confirmed tracks seen in it. Runs in Node and in browsers.

import type { Pixels } from '../../io/image.js';
import type { Gallery } from '../gallery.js';
import type { Face } from '../mtcnn/index.js';
import type { FacePipeline } from '../pipeline.js';
import { ALIGNED_THRESHOLD } from '../verify.js';
import { associate, MIN_OVERLAP } from './associate.js';
import { alignable, DUPLICATE, dedupe, inView, iou, type Rect } from './boxes.js';
import { follow } from './follow.js';
import { Identities, type Identity } from './identities.js';
import { Track } from './track.js';

/** Between detections, tracks unseen for up to this many frames are still looked for around where they should be. */
const RECENT = 5;
/**
 * A track seen at most this many frames ago may take a face where it was expected without the
 * face looking like it (steps 1 and 3): nobody else can have taken its place that fast.
 */
const FRESH = 3;
const fresh = (track: Track, frame: number) => frame - track.lastSeen <= FRESH;

/** TrackerOptions' default smallest face side for the full detector, in pixels. */
export const TRACK_MIN_FACE_SIZE = 40;

export interface TrackerOptions {
  /** Cosine at or above which two faces are the same person (default ALIGNED_THRESHOLD, 0.34). */
  threshold?: number;
  /** Run the full detector on the first frame, then once k frames have passed since it last ran (default 10); between, follow the tracks. */
  detectEvery?: number;
  /** Smallest face side the full detector seeks, in pixels (default TRACK_MIN_FACE_SIZE, 40). */
  minFaceSize?: number;
  /** Whole-face observations a track needs to be confirmed and given an identity (default 3). */
  confirmHits?: number;
  /** Frames a confirmed track may go unseen before it retires (default 25). */
  maxGap?: number;
  /** People to recognise: enrolled names, and anonymous IDs from earlier runs. Read, never changed. */
  gallery?: Gallery;
}

export interface TrackedFace {
  /** The track's number (one per uninterrupted stretch of a face). */
  track: number;
  /** The enrolled name, or ID_n. */
  identity: string;
  enrolled: boolean;
  /** Cosine of the face's latest embedding (made at least every detectEvery frames) to the identity: its
   *  enrolled photos, or (anonymous) its tracks' mean embeddings. */
  similarity: number;
  box: Rect;
  landmarks: [number, number][];
  /** The detector's face probability. */
  score: number;
}

export interface TrackedFrame {
  /** 0-based. */
  frame: number;
  /** Whether the full detector ran (else the tracks were followed). */
  detected: boolean;
  faces: TrackedFace[];
  /** Milliseconds spent finding faces, aligning and embedding them, and tracking. */
  timings: { detect: number; embed: number; track: number };
}

export interface IdentitySummary {
  identity: string;
  enrolled: boolean;
  firstFrame: number;
  lastFrame: number;
  /** Frames in which it was shown. */
  frames: number;
  /** Tracks that held it (more than one: the person left and came back, or was lost a while). */
  tracks: number;
}

export class FaceTracker {
  private readonly threshold: number;
  private readonly detectEvery: number;
  private readonly minFaceSize: number;
  private readonly confirmHits: number;
  private readonly maxGap: number;
  private readonly identities: Identities;
  private tracks: Track[] = [];
  /** The last frame's number, and the last frame the detector ran on. */
  private frame = -1;
  private detectedAt = -Infinity;
  private tracksMade = 0;

  /** `pipeline` may be replaced between frames (the web page does when another device is picked): tracks carry on. */
  constructor(public pipeline: FacePipeline, options: TrackerOptions = {}) {
    this.threshold = options.threshold ?? ALIGNED_THRESHOLD;
    this.detectEvery = options.detectEvery ?? 10;
    this.minFaceSize = options.minFaceSize ?? TRACK_MIN_FACE_SIZE;
    this.confirmHits = options.confirmHits ?? 3;
    this.maxGap = options.maxGap ?? 25;
    const whole = (name: string, value: number) => {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`FaceTracker: ${name} must be a whole number of at least 1, got ${value}`);
    };
    whole('detectEvery', this.detectEvery);
    whole('confirmHits', this.confirmHits);
    whole('maxGap', this.maxGap);
    if (!(this.minFaceSize >= 12)) throw new RangeError(`FaceTracker: minFaceSize must be at least 12 pixels, got ${this.minFaceSize}`);
    if (!(this.threshold >= -1 && this.threshold <= 1)) throw new RangeError(`FaceTracker: threshold must be a cosine in [-1, 1], got ${this.threshold}`);
    this.identities = new Identities(options.gallery);
  }

  /**
   * Tracks a frame of the stream: `frame` is its number in the stream (0-based, after the last
   * one's; frames skipped count), by default the frame after the last one.
   */
  async next(pixels: Pixels, frame = this.frame + 1): Promise<TrackedFrame> {
    if (!Number.isInteger(frame) || frame <= this.frame) {
      throw new RangeError(`FaceTracker.next: the frame number must be a whole number after the last one (${this.frame}), got ${frame}`);
    }
    const previous = this.frame;
    this.frame = frame;
    const t0 = performance.now();
    const detected = frame - this.detectedAt >= this.detectEvery;
    if (detected) this.detectedAt = frame;
    const onImage = (face: Face) => alignable(face, pixels.width, pixels.height);
    const { moved, found } = detected
      ? { moved: [], found: (await this.pipeline.detect(pixels, { minFaceSize: this.minFaceSize })).filter(onImage) }
      : await this.follow(pixels, frame, previous, onImage);
    const t1 = performance.now();
    const embedded = await this.pipeline.embed(pixels, dedupe(found));
    const t2 = performance.now();
    for (const [track, face] of moved) track.observe(face, frame);
    const seen = this.update(embedded, frame, pixels);
    const timings = { detect: t1 - t0, embed: t2 - t1, track: performance.now() - t2 };
    return { frame, detected, faces: seen.map((track) => this.report(track, frame)), timings };
  }

  /** Every identity shown so far, in order of first appearance. */
  summary(): IdentitySummary[] {
    return this.identities.all.filter((i) => i.frames > 0).sort((a, b) => a.firstFrame - b.firstFrame)
      .map(({ name, enrolled, firstFrame, lastFrame, frames, tracks }) => ({ identity: name, enrolled, firstFrame, lastFrame, frames, tracks }));
  }

  /** The mean embedding of a live confirmed track (what enrolling it stores), or undefined when there is none by that number. */
  appearance(track: number): Float32Array | undefined {
    return this.confirmed(track)?.appearance();
  }

  /**
   * Names the person a live confirmed track shows, from the next frame on: its identity becomes the
   * enrolled `name` (joining the identity of that name, when there is one: a track holding that one
   * retires), with the track's mean embedding as one more reference. The caller's gallery is not
   * changed (see TrackerOptions.gallery). Returns false when there is no such track.
   */
  enroll(track: number, name: string): boolean {
    const live = this.confirmed(track);
    if (!live) return false;
    const named = this.identities.name(live.identity!, name, live.appearance());
    if (named !== live.identity) {
      if (named.holder) this.retire(named.holder);
      live.identity!.holder = undefined;
      named.holder = live;
      named.tracks++;
      live.identity = named;
    }
    return true;
  }

  private confirmed(track: number): Track | undefined {
    return this.tracks.find((t) => t.number === track && t.identity);
  }

  /**
   * Step 1 between detections: each track seen lately (or in the `previous` frame processed) is
   * looked for in a window around where it should be (so a face hidden behind another for a
   * moment is found as it reappears). Returns
   * the confirmed tracks that simply moved (see the header) with their faces, and every other
   * face found on the image, to be embedded.
   */
  private async follow(pixels: Pixels, frame: number, previous: number, onImage: (face: Face) => boolean): Promise<{ moved: [Track, Face][]; found: Face[] }> {
    const recent = this.tracks.filter((t) => frame - t.lastSeen <= RECENT || t.lastSeen === previous);
    const expected = recent.map((t) => t.predicted(frame));
    const windows = (await follow(this.pipeline, pixels, expected)).map((faces) => faces.filter(onImage));
    const elsewhere = (face: Face, i: number) => windows.some((other, j) => j !== i && other.some((o) => iou(o.box, face.box) > DUPLICATE));
    const moved: [Track, Face][] = [];
    const found = windows.flatMap((faces, i) => {
      const track = recent[i];
      if (track.identity && fresh(track, frame) && faces.length === 1 && iou(faces[0].box, expected[i]) >= MIN_OVERLAP && !elsewhere(faces[0], i)) {
        moved.push([track, faces[0]]);
        return [];
      }
      return faces;
    });
    return { moved, found };
  }

  /** Steps 3–5 (tracks that moved this frame already took their faces); returns the confirmed tracks seen in this frame. */
  private update(faces: (Face & { embedding: Float32Array })[], frame: number, pixels: Pixels): Track[] {
    const open = this.tracks.filter((t) => t.lastSeen !== frame);
    const pairs = associate(open.map((t) => ({ expected: t.predicted(frame), appearance: t.appearance(), fresh: fresh(t, frame) })), faces, this.threshold);
    const claimed = new Set<number>();
    for (const { track, detection, byAppearance } of pairs) {
      const face = faces[detection];
      open[track].observe(face, frame, face.embedding, byAppearance && inView(face.box, pixels.width, pixels.height));
      claimed.add(detection);
    }
    faces.forEach((face, i) => {
      if (claimed.has(i)) return;
      const track = new Track(this.tracksMade++, face, face.embedding, frame);
      if (inView(face.box, pixels.width, pixels.height)) track.add(face.embedding);
      this.tracks.push(track);
    });
    const expired = this.tracks.filter((t) => t.lastSeen !== frame && !(t.identity && frame - t.lastSeen <= this.maxGap));
    for (const track of expired) this.retire(track);
    for (const track of this.tracks.filter((t) => !t.identity && t.hits >= this.confirmHits)) this.identify(track, frame);
    return this.tracks.filter((t) => t.identity && t.lastSeen === frame);
  }

  /** Gives a newly confirmed track its identity (see the header); an unseen track holding it retires. */
  private identify(track: Track, frame: number): void {
    const heldNow = (identity: Identity) => identity.holder !== undefined && identity.holder.lastSeen === frame;
    const identity = this.identities.match(track.appearance(), this.threshold, (i) => !heldNow(i)) ?? this.identities.create();
    if (identity.holder) this.retire(identity.holder);
    identity.holder = track;
    identity.tracks++;
    track.identity = identity;
  }

  /** Ends a track; an anonymous identity keeps its mean embedding (an enrolled one keeps its photos). */
  private retire(track: Track): void {
    if (track.identity) {
      if (!track.identity.enrolled) track.identity.references.push(track.appearance());
      track.identity.holder = undefined;
    }
    this.tracks = this.tracks.filter((t) => t !== track);
  }

  /** The track as shown in this frame; counts the frame for its identity's summary. */
  private report(track: Track, frame: number): TrackedFace {
    const identity = track.identity!;
    if (identity.frames++ === 0) identity.firstFrame = frame;
    identity.lastFrame = frame;
    return {
      track: track.number, identity: identity.name, enrolled: identity.enrolled,
      similarity: this.identities.similarity(identity, track.embedding),
      box: track.box, landmarks: track.landmarks, score: track.score,
    };
  }
}
