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
// Every net sees its input transposed and outputs in image axes (see crops.ts, pyramid.ts).

import type { Backend } from '../../engine/backends/backend.js';
import { loadCaffe } from '../../importer/caffe/index.js';
import type { Graph } from '../../engine/graph/graph.js';
import type { Pixels } from '../../io/image.js';
import { regress, square, type Box } from './boxes.js';
import { cropInto } from './crops.js';
import { nms } from './nms.js';
import { findMtcnn, MTCNN_NETS, MtcnnNet, type MtcnnNetName } from './nets.js';
import { proposals, pyramidScales, scaledSize } from './pyramid.js';

export interface Face {
  /** Image pixels: the box covers [x, x + width) x [y, y + height); it may reach past the image. */
  box: { x: number; y: number; width: number; height: number };
  /** O-Net's face probability. */
  score: number;
  /** Image pixels, in the order left eye, right eye, nose, left mouth corner, right mouth corner
   *  ("left" as seen in the image: the smaller x in an upright face). */
  landmarks: [number, number][];
}

export interface DetectOptions {
  /** Smallest face side sought, in pixels (default 20). */
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
/** L-Net's patch side relative to the face box's longer side. */
const PATCH = 0.25;
/** L-Net may move a landmark by at most this fraction of its patch in x and y; further, it stays put. */
const MAX_SHIFT = 0.35;

interface Landmarked extends Box {
  landmarks: [number, number][];
}

export class FaceDetector {
  private constructor(private readonly nets: Record<MtcnnNetName, MtcnnNet>) {}

  /** Loads det1 … det4 from the `mtcnn/` model folder (see rmnet/models.ts for where it is looked for). */
  static async load(options: { models?: string; backend?: Backend } = {}): Promise<FaceDetector> {
    const files = findMtcnn(options.models);
    const graphs = await Promise.all(MTCNN_NETS.map((name) => loadCaffe(files[name].prototxt, files[name].caffemodel)));
    return FaceDetector.fromGraphs(Object.fromEntries(MTCNN_NETS.map((name, i) => [name, graphs[i]])) as Record<MtcnnNetName, Graph>, options);
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
    const { minFaceSize, factor, thresholds, refineLandmarks } = settle(options);
    const { width, height, channels, data } = pixels;
    if (data.length !== width * height * channels) {
      throw new RangeError(`FaceDetector.detect: ${width}x${height}x${channels} pixels need ${width * height * channels} samples, got ${data.length}`);
    }
    const proposed = this.propose(pixels, minFaceSize, factor, thresholds[0]);
    const refined = this.refine(pixels, proposed, thresholds[1]);
    const faces = this.output(pixels, refined, thresholds[2]);
    return (refineLandmarks ? this.refineLandmarks(pixels, faces) : faces).map(({ x1, y1, x2, y2, score, landmarks }) => ({
      box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score, landmarks,
    }));
  }

  /** Stage 1: P-Net over the image pyramid → squared candidate boxes. */
  private propose(pixels: Pixels, minFaceSize: number, factor: number, threshold: number): Box[] {
    const { prob, offsets } = OUTPUTS.det1;
    const whole = { x1: 0, y1: 0, x2: pixels.width, y2: pixels.height };
    const found = pyramidScales(pixels.width, pixels.height, minFaceSize, factor).flatMap((scale) => {
      const size = scaledSize(pixels.width, pixels.height, scale);
      const shape = [1, 3, size.width, size.height];
      const input = new Float32Array(3 * size.width * size.height);
      cropInto(pixels, whole, size.width, size.height, input, 0);
      const out = this.nets.det1.run(shape, input);
      const [, , mapWidth, mapHeight] = this.nets.det1.outputShape(shape, prob);
      const cells = proposals(out[prob], out[offsets], mapWidth, mapHeight,
        size.width / pixels.width, size.height / pixels.height, threshold);
      return nms(cells, 0.5, 'union');
    });
    return nms(found, 0.7, 'union').map((p) => square(regress(p, p.offsets))).filter(isProper);
  }

  /** Stage 2: R-Net on 24x24 crops → fewer, better squared boxes. */
  private refine(pixels: Pixels, boxes: Box[], threshold: number): Box[] {
    const { prob, offsets } = OUTPUTS.det2;
    const out = this.nets.det2.runBatched(boxes.length, [3, R_SIDE, R_SIDE],
      (i, target, at) => cropInto(pixels, boxes[i], R_SIDE, R_SIDE, target, at));
    const kept = boxes.flatMap((box, i) => out[prob][2 * i + 1] > threshold ? [{ ...box, score: out[prob][2 * i + 1], i }] : []);
    return nms(kept, 0.7, 'union').map((b) => square(regress(b, out[offsets], 4 * b.i))).filter(isProper);
  }

  /** Stage 3: O-Net on 48x48 crops → final boxes and landmarks. */
  private output(pixels: Pixels, boxes: Box[], threshold: number): Landmarked[] {
    const { prob, offsets, landmarks } = OUTPUTS.det3;
    const out = this.nets.det3.runBatched(boxes.length, [3, O_SIDE, O_SIDE],
      (i, target, at) => cropInto(pixels, boxes[i], O_SIDE, O_SIDE, target, at));
    const faces = boxes.flatMap((box, i) => {
      const score = out[prob][2 * i + 1];
      if (!(score > threshold)) return [];
      // Landmarks are placed relative to the box O-Net saw: x's first, then y's, as fractions.
      const p = out[landmarks].subarray(10 * i, 10 * i + 10);
      const points = [0, 1, 2, 3, 4].map((k): [number, number] =>
        [box.x1 + p[k] * (box.x2 - box.x1), box.y1 + p[5 + k] * (box.y2 - box.y1)]);
      return [{ ...regress({ ...box, score }, out[offsets], 4 * i), landmarks: points }];
    });
    return nms(faces, 0.7, 'min');
  }

  /** L-Net: each landmark moved within a patch around it (a quarter of the box's longer side). */
  private refineLandmarks(pixels: Pixels, faces: Landmarked[]): Landmarked[] {
    const { shifts } = OUTPUTS.det4;
    const patches = faces.map((face) => {
      const side = PATCH * Math.max(face.x2 - face.x1, face.y2 - face.y1);
      return face.landmarks.map(([x, y]) => ({ x1: x - side / 2, y1: y - side / 2, x2: x + side / 2, y2: y + side / 2 }));
    });
    const plane = 3 * L_SIDE * L_SIDE;
    const out = this.nets.det4.runBatched(faces.length, [5 * 3, L_SIDE, L_SIDE], (i, target, at) =>
      patches[i].forEach((patch, k) => cropInto(pixels, patch, L_SIDE, L_SIDE, target, at + k * plane)));
    return faces.map((face, i) => ({
      ...face,
      landmarks: patches[i].map((patch, k): [number, number] => {
        const [dx, dy] = out[shifts[k]].subarray(2 * i, 2 * i + 2);
        if (Math.abs(dx - 0.5) > MAX_SHIFT || Math.abs(dy - 0.5) > MAX_SHIFT) return face.landmarks[k];
        return [patch.x1 + dx * (patch.x2 - patch.x1), patch.y1 + dy * (patch.y2 - patch.y1)];
      }),
    }));
  }
}

/** A box with some area (a regression can collapse one). */
const isProper = (box: Box) => box.x2 > box.x1 && box.y2 > box.y1;

function settle(options: DetectOptions): Required<DetectOptions> {
  const settled = {
    minFaceSize: options.minFaceSize ?? 20,
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
