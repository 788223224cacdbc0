// MTCNN (Zhang et al., 2016): faces, with five landmarks each, found by a cascade of three nets,
// following the authors' MATLAB detect_face.m:
//   1. P-Net on an image pyramid proposes 12x12 windows (NMS 0.5 per scale, 0.7 across scales),
//      regressed and squared;
//   2. R-Net judges 24x24 crops of them (NMS 0.7), regressed and squared;
//   3. O-Net judges 48x48 crops and places the landmarks; regressed, NMS 0.7 by the smaller box.
// Then L-Net (det4) refines each landmark from a 24x24 patch around it. On by default: on 150
// LFW thumbnails it brings the landmarks 2.2x closer to ../shared/lfw/lfw_landmark.txt (mean
// error 5.2% → 2.3% of the eye distance, closer on 149 of 150) — a file most likely made with the
// authors' own MTCNN, L-Net included, so this is agreement with the original more than accuracy.
// Every net sees its input transposed and outputs in image axes (see resample.ts, pyramid.ts).
// P-Net runs on each pyramid level in tiles of a few fixed sizes (tiles.ts); R-, O- and L-Net on
// batches of crops written straight into their inputs; the candidates of every stage live in two
// reused Boxes stores, so a photo allocates nothing per candidate.

import type { Backend } from '../../engine/backends/backend.js';
import { loadCaffe } from '../../importer/caffe/index.js';
import type { Graph } from '../../engine/graph/graph.js';
import type { Pixels } from '../../io/image.js';
import { Boxes, LANDMARKS, OFFSETS, SCORE, X1, X2, Y1, Y2 } from './boxes.js';
import { Suppressor } from './nms.js';
import { findMtcnn, MTCNN_NETS, MtcnnNet, type MtcnnNetName } from './nets.js';
import { proposals, pyramidScales, scaledSize } from './pyramid.js';
import { Resampler, type Region } from './resample.js';
import { cellsAlong, runTiled, type TileFill } from './tiles.js';

export interface Face {
  /** Image pixels: the box covers [x, x + width) x [y, y + height); it may reach past the image. */
  box: { x: number; y: number; width: number; height: number };
  /** O-Net's face probability. */
  score: number;
  /** Image pixels, in the order left eye, right eye, nose, left mouth corner, right mouth corner
   *  ("left" as seen in the image: the smaller x in an upright face). */
  landmarks: [number, number][];
}

/** DetectOptions' default smallest face side, in pixels. */
export const MIN_FACE_SIZE = 20;

export interface DetectOptions {
  /** Smallest face side sought, in pixels (default MIN_FACE_SIZE, 20). */
  minFaceSize?: number;
  /** Ratio between successive scales of the image pyramid (default 0.709). */
  factor?: number;
  /** Face probability each stage needs (default 0.6, 0.7, 0.7). */
  thresholds?: [number, number, number];
  /** Refine the landmarks with L-Net (det4) (default true). */
  refineLandmarks?: boolean;
}

/** The Caffe outputs read from each net. */
const OUTPUTS = {
  det1: { prob: 'prob1', offsets: 'conv4-2' },
  det2: { prob: 'prob1', offsets: 'conv5-2' },
  det3: { prob: 'prob1', offsets: 'conv6-2', landmarks: 'conv6-3' },
  det4: { shifts: ['fc5_1', 'fc5_2', 'fc5_3', 'fc5_4', 'fc5_5'] },
} as const;

/** Input side of R-Net, O-Net, and each of L-Net's five patches. */
const R_SIDE = 24;
const O_SIDE = 48;
const L_SIDE = 24;
/** Largest batch of each net (batches are powers of two up to it). */
const R_BATCH = 64;
const O_BATCH = 16;
const L_BATCH = 8;
/** Largest photo, and largest pyramid level, the detector takes (pixels): its scratch is about 10 bytes a pixel of the photo (the pixels and their row sums) and 5 of the level. */
const MAX_PIXELS = 40_000_000;
/** L-Net's patch side relative to the face box's longer side. */
const PATCH = 0.25;
/** L-Net may move a landmark by at most this fraction of its patch in x and y; further, it stays put. */
const MAX_SHIFT = 0.35;

/** The numbers a judging net gives each candidate: its face probability and regression, and O-Net's ten landmark fractions. */
export const VERDICT = { det2: 5, det3: 15 } as const;
export type Judge = keyof typeof VERDICT;

/**
 * The work that runs the nets, which the cascade hands to whoever drives it (detect() does it
 * all itself; a parallel driver may share it out): P-Net on some pyramid scales, appending each
 * scale's windows (NMS'd among themselves) to `into` scale by scale; or R-/O-Net judging
 * candidates `boxes`, writing each one's VERDICT numbers into `verdicts`.
 */
export type Work =
  | { kind: 'scales'; scales: number[]; threshold: number; into: Boxes }
  | { kind: 'judge'; net: Judge; boxes: Boxes; verdicts: Float32Array };

/**
 * What the detector works in, kept from photo to photo and grown only for a larger one: P-Net's
 * maps, the candidate boxes of the current stage and the next, and
 * the judging nets' verdicts.
 */
class Scratch {
  readonly resampler = new Resampler();
  readonly suppressor = new Suppressor();
  scores = new Float32Array(0);
  offsets = new Float32Array(0);
  boxes = new Boxes();
  next = new Boxes();
  /** One scale's windows, before their NMS. */
  readonly windows = new Boxes();
  verdicts = new Float32Array(0);
  /** The region a crop reads, rewritten per candidate. */
  readonly region: Region = { x1: 0, y1: 0, x2: 0, y2: 0 };

  /** Swaps the stores: the next stage's boxes become the current ones; the other is cleared. */
  advance(): Boxes {
    const boxes = this.next;
    this.next = this.boxes;
    this.next.clear();
    return (this.boxes = boxes);
  }

  /** Box i of `boxes` as the crop region. */
  regionOf(boxes: Boxes, i: number): Region {
    const r = boxes.records, at = boxes.at(i);
    this.region.x1 = r[at + X1];
    this.region.y1 = r[at + Y1];
    this.region.x2 = r[at + X2];
    this.region.y2 = r[at + Y2];
    return this.region;
  }

  /** Room for `count` candidates' verdicts of `net`. */
  verdictsFor(net: Judge, count: number): Float32Array {
    if (this.verdicts.length < VERDICT[net] * count) this.verdicts = new Float32Array(VERDICT[net] * count);
    return this.verdicts.subarray(0, VERDICT[net] * count);
  }
}

export class FaceDetector {
  private readonly scratch = new Scratch();
  /** The photo the work reads (see load). */
  private photo?: Pixels;

  private constructor(private readonly nets: Record<MtcnnNetName, MtcnnNet>) {}

  /** Loads det1 … det4 from the `mtcnn/` model folder (see rmnet/models.ts for where it is looked for). */
  static async load(options: { models?: string; backend?: Backend } = {}): Promise<FaceDetector> {
    return FaceDetector.fromGraphs(await loadMtcnn(options.models), options);
  }

  /**
   * A detector from det1 … det4 already imported (e.g. from bytes fetched in a browser), running
   * on `backend` (default the CPU kernels; it must be synchronous: the cascade runs synchronously).
   */
  static fromGraphs(graphs: Record<MtcnnNetName, Graph>, options: { backend?: Backend } = {}): FaceDetector {
    return new FaceDetector(Object.fromEntries(MTCNN_NETS.map((name) =>
      [name, new MtcnnNet(graphs[name], Object.values(OUTPUTS[name]).flat(), options.backend)])) as Record<MtcnnNetName, MtcnnNet>);
  }

  /** The faces in an image, highest score first. */
  detect(pixels: Pixels, options: DetectOptions = {}): Face[] {
    const cascade = this.cascade(pixels, options);
    for (let step = cascade.next(); ; step = cascade.next()) {
      if (step.done) return step.value;
      this.work(step.value);
    }
  }

  /**
   * The cascade on a photo, as a generator: it yields the work that runs P-, R- and O-Net for its
   * driver to complete (in place), and returns the faces. Takes the photo (load) first.
   */
  *cascade(pixels: Pixels, options: DetectOptions = {}): Generator<Work, Face[], void> {
    const { minFaceSize, factor, thresholds, refineLandmarks } = settle(options);
    const scales = pyramidScales(pixels.width, pixels.height, minFaceSize, factor);
    const first = scaledSize(pixels.width, pixels.height, scales[0] ?? 0);
    if (pixels.width * pixels.height > MAX_PIXELS) {
      throw new RangeError(`FaceDetector.detect: a ${pixels.width}x${pixels.height} photo is more than ${MAX_PIXELS.toLocaleString('en')} pixels; scale it down first`);
    }
    if (first.width * first.height > MAX_PIXELS) {
      throw new RangeError(`FaceDetector.detect: minFaceSize ${minFaceSize} makes the first pyramid level ${first.width}x${first.height}, ` +
        `more than ${MAX_PIXELS.toLocaleString('en')} pixels; raise minFaceSize`);
    }
    this.load(pixels);
    const s = this.scratch;

    // Stage 1: P-Net over the image pyramid → squared candidate boxes.
    s.next.clear();
    yield { kind: 'scales', scales, threshold: thresholds[0], into: s.next };
    const proposed = s.advance();
    s.suppressor.run(proposed, 0, proposed.count, 0.7, 'union', s.next);
    s.advance().regress(true);

    // Stage 2: R-Net on 24x24 crops → fewer, better squared boxes.
    let verdicts = s.verdictsFor('det2', s.boxes.count);
    yield { kind: 'judge', net: 'det2', boxes: s.boxes, verdicts };
    this.keep('det2', verdicts, thresholds[1]);
    const refined = s.advance();
    s.suppressor.run(refined, 0, refined.count, 0.7, 'union', s.next);
    s.advance().regress(true);

    // Stage 3: O-Net on 48x48 crops → final boxes and landmarks (regressed, then NMS by the smaller box).
    verdicts = s.verdictsFor('det3', s.boxes.count);
    yield { kind: 'judge', net: 'det3', boxes: s.boxes, verdicts };
    this.keep('det3', verdicts, thresholds[2]);
    const output = s.advance();
    output.regress(false);
    s.suppressor.run(output, 0, output.count, 0.7, 'min', s.next);
    s.advance();

    const faces = this.faces();
    return refineLandmarks ? this.refineLandmarks(faces) : faces;
  }

  /** Takes the photo the work will read. */
  load(pixels: Pixels): void {
    const { width, height, channels, data } = pixels;
    if (data.length !== width * height * channels) {
      throw new RangeError(`FaceDetector.detect: ${width}x${height}x${channels} pixels need ${width * height * channels} samples, got ${data.length}`);
    }
    this.scratch.resampler.load(pixels);
    this.photo = pixels;
  }

  /** The loaded photo's size. */
  photoSize(): { width: number; height: number } {
    if (!this.photo) throw new Error('FaceDetector: no photo loaded');
    return { width: this.photo.width, height: this.photo.height };
  }

  /** Does a piece of the cascade's work on the loaded photo. */
  work(work: Work): void {
    if (work.kind === 'scales') this.scales(work.scales, work.threshold, work.into);
    else this.judge(work.net, work.boxes, 0, work.boxes.count, work.verdicts);
  }

  /** P-Net over the photo at each scale: its windows above `threshold`, NMS 0.5 among themselves, appended to `into`. */
  private scales(scales: number[], threshold: number, into: Boxes): void {
    const s = this.scratch, pixels = this.photo!;
    const whole = { x1: 0, y1: 0, x2: pixels.width, y2: pixels.height };
    const found = s.windows;
    for (const scale of scales) {
      const { width, height } = scaledSize(pixels.width, pixels.height, scale);
      const cells = cellsAlong(width) * cellsAlong(height);
      if (s.scores.length < cells) [s.scores, s.offsets] = [new Float32Array(cells), new Float32Array(4 * cells)];
      // Each tile resampled from the photo straight into P-Net's input.
      const fill: TileFill = (input, x, y, tileWidth, tileHeight) =>
        s.resampler.into(whole, width, height, input, 0, { x, y, width: tileWidth, height: tileHeight });
      runTiled(this.nets.det1, OUTPUTS.det1, fill, width, height, s.scores, s.offsets);
      found.clear();
      proposals(s.scores, s.offsets, cellsAlong(width), cellsAlong(height), width / pixels.width, height / pixels.height, threshold, found);
      s.suppressor.run(found, 0, found.count, 0.5, 'union', into);
    }
  }

  /** R-Net (24x24 crops) or O-Net (48x48) on candidates from … until - 1: their VERDICT numbers, from verdicts[0]. */
  judge(net: Judge, boxes: Boxes, from: number, until: number, verdicts: Float32Array): void {
    const s = this.scratch;
    const [side, maxBatch] = net === 'det2' ? [R_SIDE, R_BATCH] : [O_SIDE, O_BATCH];
    const { prob, offsets } = OUTPUTS[net];
    const n = VERDICT[net];
    this.nets[net].runBatched(until - from, [3, side, side], maxBatch,
      (i, input, at) => s.resampler.into(s.regionOf(boxes, from + i), side, side, input, at),
      (i, out, j) => {
        verdicts[n * i] = out[prob][2 * j + 1];
        for (let k = 0; k < 4; k++) verdicts[n * i + 1 + k] = out[offsets][4 * j + k];
        for (let k = 0; k < n - 5; k++) verdicts[n * i + 5 + k] = out[OUTPUTS.det3.landmarks][10 * j + k];
      });
  }

  /** The candidates `net` judged a face (probability above `threshold`), in order, with its score and regression, to the next store. */
  private keep(net: Judge, verdicts: Float32Array, threshold: number): void {
    const s = this.scratch, boxes = s.boxes, n = VERDICT[net];
    for (let i = 0; i < boxes.count; i++) {
      const score = verdicts[n * i];
      if (!(score > threshold)) continue;
      const at = s.next.copy(boxes, i);
      const r = s.next.records;
      r[at + SCORE] = score;
      for (let k = 0; k < 4; k++) r[at + OFFSETS + k] = verdicts[n * i + 1 + k];
      if (net === 'det3') {
        // Landmarks are placed relative to the box O-Net saw: x's first, then y's, as fractions.
        const width = r[at + X2] - r[at + X1], height = r[at + Y2] - r[at + Y1];
        for (let k = 0; k < 5; k++) {
          r[at + LANDMARKS + k] = r[at + X1] + verdicts[n * i + 5 + k] * width;
          r[at + LANDMARKS + 5 + k] = r[at + Y1] + verdicts[n * i + 10 + k] * height;
        }
      }
    }
  }

  /** The final boxes as faces. */
  private faces(): Face[] {
    const { boxes } = this.scratch;
    const r = boxes.records;
    return Array.from({ length: boxes.count }, (_, i): Face => {
      const at = boxes.at(i);
      return {
        box: { x: r[at + X1], y: r[at + Y1], width: r[at + X2] - r[at + X1], height: r[at + Y2] - r[at + Y1] },
        score: r[at + SCORE],
        landmarks: [0, 1, 2, 3, 4].map((k): [number, number] => [r[at + LANDMARKS + k], r[at + LANDMARKS + 5 + k]]),
      };
    });
  }

  /** L-Net: each landmark moved within a patch around it (a quarter of the box's longer side). */
  private refineLandmarks(faces: Face[]): Face[] {
    const { shifts } = OUTPUTS.det4;
    const s = this.scratch;
    const patches = faces.map(({ box, landmarks }) => {
      const side = PATCH * Math.max(box.width, box.height);
      return landmarks.map(([x, y]): Region => ({ x1: x - side / 2, y1: y - side / 2, x2: x + side / 2, y2: y + side / 2 }));
    });
    const plane = 3 * L_SIDE * L_SIDE;
    const refined = faces.map((face) => ({ ...face, landmarks: [...face.landmarks] }));
    this.nets.det4.runBatched(faces.length, [5 * 3, L_SIDE, L_SIDE], L_BATCH,
      (i, input, at) => patches[i].forEach((patch, k) => s.resampler.into(patch, L_SIDE, L_SIDE, input, at + k * plane)),
      (i, out, j) => patches[i].forEach((patch, k) => {
        const dx = out[shifts[k]][2 * j], dy = out[shifts[k]][2 * j + 1];
        if (Math.abs(dx - 0.5) > MAX_SHIFT || Math.abs(dy - 0.5) > MAX_SHIFT) return;
        refined[i].landmarks[k] = [patch.x1 + dx * (patch.x2 - patch.x1), patch.y1 + dy * (patch.y2 - patch.y1)];
      }));
    return refined;
  }
}

/** det1 … det4 imported from the `mtcnn/` model folder. */
export async function loadMtcnn(models?: string): Promise<Record<MtcnnNetName, Graph>> {
  const files = findMtcnn(models);
  const graphs = await Promise.all(MTCNN_NETS.map((name) => loadCaffe(files[name].prototxt, files[name].caffemodel)));
  return Object.fromEntries(MTCNN_NETS.map((name, i) => [name, graphs[i]])) as Record<MtcnnNetName, Graph>;
}

function settle(options: DetectOptions): Required<DetectOptions> {
  const settled = {
    minFaceSize: options.minFaceSize ?? MIN_FACE_SIZE,
    factor: options.factor ?? 0.709,
    thresholds: options.thresholds ?? [0.6, 0.7, 0.7],
    refineLandmarks: options.refineLandmarks ?? true,
  };
  const { minFaceSize, factor, thresholds } = settled;
  if (!(minFaceSize > 0) || !Number.isFinite(minFaceSize)) {
    throw new RangeError(`FaceDetector.detect: minFaceSize must be a positive number of pixels, got ${minFaceSize}`);
  }
  if (!(factor > 0 && factor < 1)) throw new RangeError(`FaceDetector.detect: factor must lie strictly between 0 and 1, got ${factor}`);
  if (thresholds.length !== 3 || !thresholds.every((t) => t >= 0 && t <= 1)) {
    throw new RangeError(`FaceDetector.detect: thresholds must be three probabilities in [0, 1], got [${thresholds.join(', ')}]`);
  }
  return settled;
}
