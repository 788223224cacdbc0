// Issue 4: MTCNN face detection — the cascade's pieces on made-up data, then the whole detector
// on the authors' two demo photos (faces counted by eye: test1.jpg 2, test2.jpg 1).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../engine/graph/graph.js';
import { readImage, type Pixels } from '../io/image.js';
import { packageModels } from '../importer/models.js';
import { Boxes, OFFSETS, SCORE, X1, X2, Y1, Y2 } from '../rmnet/mtcnn/boxes.js';
import { FaceDetector, findMtcnn, type Face } from '../rmnet/mtcnn/index.js';
import { Suppressor } from '../rmnet/mtcnn/nms.js';
import { proposals, pyramidScales } from '../rmnet/mtcnn/pyramid.js';
import { Resampler } from '../rmnet/mtcnn/resample.js';
import { MODELS, MTCNN_DIR } from './helpers/shared.js';

type Plain = { x1: number; y1: number; x2: number; y2: number; score: number };
const box = (x1: number, y1: number, x2: number, y2: number, score = 1): Plain => ({ x1, y1, x2, y2, score });
const normalised = (v: number) => (v - 127.5) * 0.0078125;

/** A store holding the boxes, each with the given regression offsets. */
function store(boxes: Plain[], offsets: number[][] = []): Boxes {
  const s = new Boxes();
  boxes.forEach((b, i) => {
    const at = s.push(b.x1, b.y1, b.x2, b.y2, b.score);
    (offsets[i] ?? [0, 0, 0, 0]).forEach((o, k) => { s.records[at + OFFSETS + k] = o; });
  });
  return s;
}
const plain = (s: Boxes): Plain[] => Array.from({ length: s.count }, (_, i) => {
  const at = s.at(i), r = s.records;
  return box(r[at + X1], r[at + Y1], r[at + X2], r[at + Y2], r[at + SCORE]);
});

describe('nms', () => {
  const a = box(0, 0, 10, 10, 0.9);
  const b = box(1, 1, 11, 11, 0.8); // IoU with a: 81 / 119 = 0.68
  const far = box(50, 50, 60, 60, 0.7);
  const inside = box(2, 2, 6, 6, 0.95); // IoU with a: 16 / 100; over the smaller box: 1
  const nms = (boxes: Plain[], threshold: number, overlap: 'union' | 'min') => {
    const kept = new Boxes();
    new Suppressor().run(store(boxes), 0, boxes.length, threshold, overlap, kept);
    return plain(kept);
  };

  it('union: keeps the best box, drops those overlapping it by more than the threshold', () => {
    expect(nms([far, b, a], 0.5, 'union')).toEqual([a, far]);
    expect(nms([far, b, a], 0.7, 'union')).toEqual([a, b, far]);
  });

  it('min: a box inside a better one is dropped, though its IoU is small', () => {
    expect(nms([a, inside], 0.7, 'union')).toEqual([inside, a]);
    expect(nms([a, inside], 0.7, 'min')).toEqual([inside]);
  });

  it('orders by descending score, equal scores in their order, and reads only the range asked', () => {
    const boxes = [0.5, 0.9, 0.5, 0.7, 0.9, 0.1].map((score, i) => box(20 * i, 0, 20 * i + 10, 10, score));
    const kept = new Boxes();
    new Suppressor().run(store(boxes), 1, 5, 0.5, 'union', kept);
    expect(plain(kept)).toEqual([boxes[1], boxes[4], boxes[3], boxes[2]]);
  });
});

describe('boxes', () => {
  it('regress moves each side by its offset times the width (x) or height (y)', () => {
    const s = store([box(10, 20, 30, 60, 0.5)], [[0.1, -0.1, 0.2, 0.05]]);
    s.regress(false);
    expect(plain(s)).toEqual([box(12, 16, 34, 62, 0.5)]);
  });

  it('squared, it keeps the centre, takes the longer side, and drops the boxes the regression collapsed', () => {
    const s = store([box(10, 20, 30, 60, 0.5), box(0, 0, 10, 10, 0.4), box(0, 0, 8, 4, 0.3)], [[0, 0, 0, 0], [0, 0, -1, -1], [0, 0, 0, 0]]);
    s.regress(true);
    expect(plain(s)).toEqual([box(0, 20, 40, 60, 0.5), box(0, -2, 8, 6, 0.3)]);
  });

  it('grows past its first capacity and copies whole records', () => {
    const s = store(Array.from({ length: 200 }, (_, i) => box(i, i, i + 5, i + 5, i / 200)), Array.from({ length: 200 }, (_, i) => [i, 0, 0, 0]));
    const copy = new Boxes();
    copy.copy(s, 150);
    expect(plain(copy)).toEqual([box(150, 150, 155, 155, 0.75)]);
    expect(copy.records[copy.at(0) + OFFSETS]).toBe(150);
  });
});

describe('pyramid', () => {
  it('scales 12/minFaceSize × factor^k while the shorter side holds a 12-pixel window', () => {
    const scales = pyramidScales(450, 344, 20, 0.709);
    expect(scales).toHaveLength(9); // 344 × 0.6 × 0.709^8 = 13.0, × 0.709 = 9.2
    expect(scales[0]).toBeCloseTo(0.6, 12);
    expect(scales[8]).toBeCloseTo(0.6 * 0.709 ** 8, 12);
  });

  it("proposals read P-Net's maps transposed: cell [i][j] is the window at x = 2i, y = 2j", () => {
    const [mapWidth, mapHeight] = [3, 2];
    const cells = mapWidth * mapHeight;
    const scores = new Float32Array(cells);
    const offsets = new Float32Array(4 * cells);
    const cell = 2 * mapHeight + 1; // i = 2, j = 1
    scores[cell] = 0.9;
    scores[1] = 0.5; // below the threshold
    for (let k = 0; k < 4; k++) offsets[k * cells + cell] = (k + 1) / 10;
    const found = new Boxes();
    proposals(scores, offsets, mapWidth, mapHeight, 0.5, 0.25, 0.6, found);
    expect(found.count).toBe(1);
    expect(plain(found)[0]).toMatchObject({ x1: 8, y1: 8, x2: 32, y2: 56 });
    expect(plain(found)[0].score).toBeCloseTo(0.9, 6);
    expect(Array.from(found.records.subarray(OFFSETS, OFFSETS + 4))).toEqual([0.1, 0.2, 0.3, 0.4].map(Math.fround));
  });
});

describe('Resampler', () => {
  // 6x4 RGB image: R = 10x, G = 10y, B = 100.
  const image: Pixels = { width: 6, height: 4, channels: 3, data: new Uint8Array(6 * 4 * 3) };
  for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) image.data.set([10 * x, 10 * y, 100], (y * 6 + x) * 3);
  const resampler = new Resampler();
  const crop = (region: Plain, width: number, height: number) => {
    const out = new Float32Array(3 * width * height);
    resampler.load(image);
    resampler.into(region, width, height, out, 0);
    return (c: number, x: number, y: number) => out[c * width * height + x * height + y];
  };

  it('writes planes R, G, B transposed ([x][y]) and normalised', () => {
    const at = crop(box(0, 0, 6, 4), 6, 4);
    for (let x = 0; x < 6; x++) {
      for (let y = 0; y < 4; y++) {
        expect([at(0, x, y), at(1, x, y), at(2, x, y)]).toEqual([10 * x, 10 * y, 100].map(normalised));
      }
    }
  });

  it('shrinks by averaging the area each output pixel covers', () => {
    const at = crop(box(0, 0, 6, 4), 3, 2);
    for (let x = 0; x < 3; x++) expect(at(0, x, 1)).toBeCloseTo(normalised(20 * x + 5), 6);
    for (let y = 0; y < 2; y++) expect(at(1, 2, y)).toBeCloseTo(normalised(20 * y + 5), 6);
  });

  it('enlarges by bilinear interpolation between pixel centres', () => {
    const at = crop(box(2, 0, 4, 4), 4, 4); // x = 2..3 → 4 samples at 2, 2.25, 2.75, 3
    expect([0, 1, 2, 3].map((x) => at(0, x, 0))).toEqual([20, 22.5, 27.5, 30].map(normalised));
  });

  it('pads with black where the region leaves the image', () => {
    const at = crop(box(-2, 0, 4, 4), 6, 4);
    expect([at(0, 0, 0), at(1, 1, 3), at(2, 1, 2)]).toEqual([0, 0, 0].map(normalised));
    expect([at(2, 2, 0), at(1, 5, 3), at(0, 3, 1)]).toEqual([100, 30, 10].map(normalised));
  });

  it('refuses a region without area, an output that overruns its target, and resampling before a photo is loaded', () => {
    const out = new Float32Array(3 * 4 * 4);
    expect(() => new Resampler().into(box(0, 0, 4, 4), 4, 4, out, 0)).toThrow(/no photo loaded/);
    resampler.load(image);
    expect(() => resampler.into(box(3, 0, 3, 4), 4, 4, out, 0)).toThrow(/region \(3, 0\)–\(3, 4\) is not a box with area/);
    expect(() => resampler.into(box(0, 0, 4, 4), 4, 4, out, 1)).toThrow(/a 3x4x4 block from offset 1 overruns a tensor of 48/);
    expect(() => resampler.load({ ...image, width: 7 })).toThrow(/7x4x3 pixels need 84 samples, got 72/);
  });
});

describe('FaceDetector on the demo photos', () => {
  let detector: FaceDetector;
  const photos: Record<string, Pixels> = {};
  beforeAll(async () => {
    detector = await FaceDetector.load({ models: MODELS });
    for (const name of ['test1', 'test2']) photos[name] = await readImage(`${MTCNN_DIR}${name}.jpg`);
  });
  /** Each photo's faces at the default settings, detected once. */
  const detected: Record<string, Face[]> = {};
  const facesIn = (name: string) => (detected[name] ??= detector.detect(photos[name]));

  // The centre of every face in each photo, read off the photos by eye.
  const faceCentres: Record<string, [number, number][]> = {
    test1: [[120, 60], [330, 128]],
    test2: [[265, 170]],
  };

  /** The checks every upright frontal face passes. */
  function expectUprightFace(face: Face, where: string) {
    const { x, y, width, height } = face.box;
    const [leftEye, rightEye, nose, leftMouth, rightMouth] = face.landmarks;
    expect(face.score, `${where} score`).toBeGreaterThan(0.99);
    expect(height, `${where}: a face box is taller than wide`).toBeGreaterThan(width);
    for (const [px, py] of face.landmarks) {
      expect(px > x && px < x + width && py > y && py < y + height, `${where}: landmark (${px}, ${py}) inside the box`).toBe(true);
    }
    expect(leftEye[0], `${where}: left eye left of right eye`).toBeLessThan(rightEye[0]);
    expect(leftMouth[0], `${where}: left mouth corner left of right`).toBeLessThan(rightMouth[0]);
    expect(Math.max(leftEye[1], rightEye[1]), `${where}: eyes above nose`).toBeLessThan(nose[1]);
    expect(nose[1], `${where}: nose above mouth`).toBeLessThan(Math.min(leftMouth[1], rightMouth[1]));
  }

  for (const name of ['test1', 'test2']) {
    it(`${name}.jpg: finds each of its ${faceCentres[name].length} faces and nothing else`, () => {
      const faces = facesIn(name);
      expect(faces).toHaveLength(faceCentres[name].length);
      for (const [cx, cy] of faceCentres[name]) {
        const holding = faces.filter(({ box: b }) => cx > b.x && cx < b.x + b.width && cy > b.y && cy < b.y + b.height);
        expect(holding, `${name}: one box around the face at (${cx}, ${cy})`).toHaveLength(1);
      }
      faces.forEach((face, i) => expectUprightFace(face, `${name} face ${i}`));
    });
  }

  it("without L-Net the boxes are the same and O-Net's landmarks lie near the refined ones", () => {
    const refined = detector.detect(photos.test2, { minFaceSize: 100 }); // the face is 155 wide; fewer scales, faster
    const plain = detector.detect(photos.test2, { minFaceSize: 100, refineLandmarks: false });
    expect(refined).toHaveLength(1);
    expect(plain.map((f) => f.box)).toEqual(refined.map((f) => f.box));
    expectUprightFace(plain[0], 'test2 without L-Net');
    plain[0].landmarks.forEach(([x, y], k) => {
      const [rx, ry] = refined[0].landmarks[k];
      expect(Math.hypot(x - rx, y - ry), `landmark ${k} moved`).toBeLessThan(0.1 * refined[0].box.width);
    });
  });

  it('a mirrored photo gives mirrored faces, left and right landmarks swapped', () => {
    const photo = photos.test1;
    const { width, channels, data } = photo;
    const mirrored = new Uint8Array(data.length);
    for (let row = 0; row < photo.height; row++) {
      for (let x = 0; x < width; x++) {
        const from = (row * width + x) * channels;
        mirrored.set(data.subarray(from, from + channels), (row * width + width - 1 - x) * channels);
      }
    }
    const faces = facesIn('test1');
    const flipped = detector.detect({ ...photo, data: mirrored });
    expect(flipped).toHaveLength(faces.length);
    const swap = [1, 0, 2, 4, 3];
    for (const face of flipped) {
      expectUprightFace(face, 'mirrored test1');
      const back = { ...face.box, x: width - face.box.x - face.box.width };
      const twin = faces.find((f) => Math.abs(f.box.x - back.x) < 0.1 * f.box.width && Math.abs(f.box.y - back.y) < 0.1 * f.box.height);
      expect(twin, `a face mirroring the one at x = ${face.box.x}`).toBeDefined();
      face.landmarks.forEach(([x, y], k) => {
        const [tx, ty] = twin!.landmarks[swap[k]];
        expect(Math.hypot(width - x - tx, y - ty), `landmark ${k} mirrored`).toBeLessThan(0.05 * twin!.box.width);
      });
    }
  });

  it('refuses bad options, naming them', () => {
    expect(() => detector.detect(photos.test2, { factor: 1 })).toThrow(/factor must lie strictly between 0 and 1, got 1/);
    expect(() => detector.detect(photos.test2, { minFaceSize: 0 })).toThrow(/minFaceSize must be a positive number of pixels, got 0/);
    expect(() => detector.detect(photos.test2, { thresholds: [0.6, 0.7, 1.5] })).toThrow(/thresholds .* got \[0.6, 0.7, 1.5\]/);
    expect(() => detector.detect(photos.test2, { minFaceSize: 0.5 })).toThrow(/minFaceSize 0.5 makes the first pyramid level 10800x10344, more than 40,000,000 pixels; raise minFaceSize/);
    const huge = { width: 8000, height: 6000, channels: 3 as const, data: new Uint8Array(0) };
    expect(() => detector.detect(huge)).toThrow(/a 8000x6000 photo is more than 40,000,000 pixels; scale it down first/);
  });
});

describe('findMtcnn', () => {
  it('finds det1..det4 in the mtcnn/ folder of the models directory', () => {
    expect(findMtcnn(MODELS).det3.caffemodel).toBe(`${MTCNN_DIR}det3.caffemodel`);
  });

  it('falls back to the package\'s own models; a models folder that does not exist is refused', () => {
    expect(findMtcnn(mkdtempSync(join(tmpdir(), 'facereid-no-models-'))).det3.caffemodel).toBe(join(packageModels(), 'mtcnn', 'det3.caffemodel'));
    expect(() => findMtcnn('/nonexistent/models')).toThrow(ModelError);
    expect(() => findMtcnn('/nonexistent/models')).toThrow('models folder /nonexistent/models not found');
  });
});
