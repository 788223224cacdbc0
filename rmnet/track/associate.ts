// Which detection continues which track, in two greedy rounds (the few faces of a frame make
// greedy as good as Hungarian in practice, and it is easy to follow):
//   1. by appearance: every (track, detection) pair whose cosine is at or above the
//      same-person threshold, best first by cosine + IoU (a face that looks right AND is where
//      the track was expected beats one that only looks right);
//   2. by overlap alone, for what is left: a track seen a moment ago (`fresh`: a few frames of the
//      stream, tracker.ts) takes a detection overlapping its expected box by IoU >= 0.5, largest
//      overlap first (a face briefly hard to embed — half out of the frame, turned, blurred — is
//      still the same face it was a moment ago). Such matches move the track but never join its
//      mean embedding.
// A different person at a track's place therefore needs to look like it (round 1) or to appear
// there within that moment (round 2); people do not teleport.

import { cosine } from '../embedder.js';
import { iou, type Rect } from './boxes.js';

export interface TrackSide {
  /** Where the track should be in this frame. */
  expected: Rect;
  appearance: Float32Array;
  /** Seen a moment ago (a few frames of the stream). */
  fresh: boolean;
}

export interface DetectionSide {
  box: Rect;
  embedding: Float32Array;
}

export interface Pairing {
  track: number;
  detection: number;
  cosine: number;
  /** Matched in round 1 (by appearance), not by overlap alone. */
  byAppearance: boolean;
}

/** Least IoU for a match by overlap alone. */
export const MIN_OVERLAP = 0.5;

/** Pairs tracks with detections (indices into the two lists); each appears in at most one pair. */
export function associate(tracks: TrackSide[], detections: DetectionSide[], threshold: number): Pairing[] {
  const candidates = tracks.flatMap((t, track) => detections.map((d, detection) => ({
    track, detection, cosine: cosine(t.appearance, d.embedding), overlap: iou(t.expected, d.box), fresh: t.fresh,
  })));
  const pairs: Pairing[] = [];
  const takenTracks = new Set<number>(), takenDetections = new Set<number>();
  const take = (list: typeof candidates, byAppearance: boolean) => {
    for (const c of list) {
      if (takenTracks.has(c.track) || takenDetections.has(c.detection)) continue;
      takenTracks.add(c.track);
      takenDetections.add(c.detection);
      pairs.push({ track: c.track, detection: c.detection, cosine: c.cosine, byAppearance });
    }
  };
  take(candidates.filter((c) => c.cosine >= threshold).sort((a, b) => b.cosine + b.overlap - (a.cosine + a.overlap)), true);
  take(candidates.filter((c) => c.fresh && c.overlap >= MIN_OVERLAP).sort((a, b) => b.overlap - a.overlap), false);
  return pairs;
}
