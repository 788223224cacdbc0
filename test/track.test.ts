// The tracker (rmnet/track/): its parts on small cases, then whole synthetic clips scored
// against their truth (test/helpers/clip.ts): ID switches, fragmented tracks, shared IDs.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyGallery, enroll, spaceOf, type Gallery } from '../rmnet/gallery.js';
import { cosine } from '../rmnet/embedder.js';
import { FacePipeline } from '../rmnet/pipeline.js';
import { associate, MIN_OVERLAP } from '../rmnet/track/associate.js';
import { alignable, dedupe, inView, iou } from '../rmnet/track/boxes.js';
import { follow } from '../rmnet/track/follow.js';
import { Identities } from '../rmnet/track/identities.js';
import { FaceTracker, type TrackedFace, type TrackedFrame, type TrackerOptions } from '../rmnet/track/index.js';
import { Clip, lfw, reference, REID_CLIP, SHORT_CLIP, type ClipScript, type TruthFace } from './helpers/clip.js';
import { formatScore, scoreClip } from './helpers/clip-score.js';
import { MODELS, SHARED } from './helpers/shared.js';

/** A unit vector along axis `i` of 8, tilted towards axis `j` so that cosine with axis i is `c`. */
const unit = (i: number, c = 1, j = (i + 1) % 8) => {
  const v = new Float32Array(8);
  v[i] = c;
  v[j] = Math.sqrt(1 - c * c);
  return v;
};
const box = (x: number, y: number, side = 50) => ({ x, y, width: side, height: side });

describe('association', () => {
  it('appearance first, best cosine + IoU first; each track and detection used once', () => {
    const tracks = [
      { expected: box(0, 0), appearance: unit(0), fresh: true },
      { expected: box(100, 0), appearance: unit(1), fresh: true },
    ];
    // Detection 0 looks like track 1 but sits where track 0 was; detection 1 looks like track 0, far away.
    const pairs = associate(tracks, [{ box: box(0, 0), embedding: unit(1, 0.9) }, { box: box(300, 0), embedding: unit(0, 0.8) }], 0.34);
    expect(pairs).toEqual([
      { track: 1, detection: 0, cosine: expect.closeTo(0.9, 6), byAppearance: true },
      { track: 0, detection: 1, cosine: expect.closeTo(0.8, 6), byAppearance: true },
    ]);
  });

  it('by overlap alone only for a track seen in the previous frame, and only from IoU 0.5', () => {
    const hardToEmbed = { box: box(5, 0), embedding: unit(4, 1) }; // cosine 0 with every track
    expect(iou(box(0, 0), box(5, 0))).toBeGreaterThan(MIN_OVERLAP);
    expect(associate([{ expected: box(0, 0), appearance: unit(0), fresh: true }], [hardToEmbed], 0.34))
      .toEqual([{ track: 0, detection: 0, cosine: 0, byAppearance: false }]);
    expect(associate([{ expected: box(0, 0), appearance: unit(0), fresh: false }], [hardToEmbed], 0.34)).toEqual([]);
    expect(associate([{ expected: box(30, 0), appearance: unit(0), fresh: true }], [hardToEmbed], 0.34)).toEqual([]);
  });

  it('a different person where a lost track was is not taken for it', () => {
    const lost = { expected: box(0, 0), appearance: unit(0), fresh: false };
    expect(associate([lost], [{ box: box(0, 0), embedding: unit(0, 0.3) }], 0.34)).toEqual([]);
  });
});

describe('boxes', () => {
  it('IoU, and duplicates dropped keeping the higher score', () => {
    expect(iou(box(0, 0, 10), box(5, 0, 10))).toBeCloseTo(50 / 150, 12);
    expect(iou(box(0, 0, 10), box(10, 0, 10))).toBe(0);
    const face = (x: number, score: number) => ({ box: box(x, 0, 10), score, landmarks: [] });
    expect(dedupe([face(0, 0.8), face(1, 0.9), face(30, 0.7)]).map((f) => f.score)).toEqual([0.9, 0.7]);
  });

  it('a face is alignable when its landmarks are on the image, whole when its box is (give or take 10%)', () => {
    const face = { box: box(-4, 10, 50), score: 1, landmarks: [[10, 20], [30, 20], [20, 30], [12, 40], [28, 40]] as [number, number][] };
    expect(alignable(face, 100, 100)).toBe(true);
    expect(alignable({ ...face, landmarks: [...face.landmarks.slice(1), [-1, 5]] }, 100, 100)).toBe(false);
    expect(inView(face.box, 100, 100)).toBe(true);
    expect(inView(box(-6, 10, 50), 100, 100)).toBe(false);
    expect(inView(box(55, 10, 50), 100, 100)).toBe(true);
    expect(inView(box(56, 10, 50), 100, 100)).toBe(false);
  });
});

describe('naming identities (what enrolling a track does)', () => {
  it('an anonymous ID is renamed; joining an existing name brings its references; an enrolled one keeps its name', () => {
    const identities = new Identities();
    const [a, b] = [identities.create(), identities.create()];
    a.references.push(unit(0));
    expect(identities.name(a, 'Ann', unit(1))).toBe(a);
    expect([a.name, a.enrolled, a.references]).toEqual(['Ann', true, [unit(0), unit(1)]]);
    b.references.push(unit(2));
    expect(identities.name(b, 'Ann', unit(3))).toBe(a);
    expect(a.references).toEqual([unit(0), unit(1), unit(2), unit(3)]);
    expect([b.name, b.enrolled, b.references]).toEqual(['ID_1', false, []]);
    const bob = identities.name(a, 'Bob', unit(4));
    expect([bob.name, bob.enrolled, bob.references]).toEqual(['Bob', true, [unit(4)]]);
    expect(a.name).toBe('Ann');
    expect(identities.all.map((i) => i.name)).toEqual(['Ann', 'ID_1', 'Bob']);
  });
});

describe('the library holds no Node-only code', () => {
  it('rmnet/track/ and io/y4m.ts import nothing from node:', () => {
    const root = new URL('../', import.meta.url);
    const files = [...readdirSync(new URL('rmnet/track/', root)).map((f) => `rmnet/track/${f}`), 'io/y4m.ts'];
    for (const file of files) expect(readFileSync(new URL(file, root), 'utf8'), file).not.toMatch(/from '(node:|fs|path)/);
  });
});

describe('tracking', () => {
  let pipeline: FacePipeline;
  beforeAll(async () => {
    pipeline = await FacePipeline.load({ models: MODELS });
  });

  async function run(script: ClipScript, options: TrackerOptions = {}) {
    const clip = await Clip.load(script);
    const tracker = new FaceTracker(pipeline, options);
    const truth: TruthFace[][] = [], frames: TrackedFrame[] = [];
    for (let i = 0; i < clip.frames; i++) {
      const { pixels, truth: who } = clip.frame(i);
      truth.push(who);
      frames.push(await tracker.next(pixels));
    }
    return { truth, frames, summary: tracker.summary(), score: scoreClip(truth, frames.map((f) => f.faces)) };
  }

  it('follows a face from a box near it: the face the full detector finds, its landmarks as close, its embedding the same', async () => {
    const { pixels } = (await Clip.load(REID_CLIP)).frame(80);
    const detected = pipeline.detector.detect(pixels, { minFaceSize: 40 });
    expect(detected.length).toBe(4);
    for (const face of detected) {
      const { x, y, width, height } = face.box;
      // Where a tracker would expect it: off by 10% of its side, 10% too small.
      const [[found, ...others]] = await follow(pipeline, pixels, [{ x: x + 0.1 * width, y: y - 0.1 * height, width: 0.9 * width, height: 0.9 * height }]);
      expect(others).toEqual([]);
      expect(iou(found.box, face.box)).toBeGreaterThan(0.9);
      // Mean landmark offset under 2.3% of the eye distance: less than the detector's own mean
      // error against ../shared/lfw/lfw_landmark.txt (rmnet/mtcnn/detector.ts).
      const eyes = Math.hypot(face.landmarks[1][0] - face.landmarks[0][0], face.landmarks[1][1] - face.landmarks[0][1]);
      const offset = found.landmarks.reduce((n, [lx, ly], k) => n + Math.hypot(lx - face.landmarks[k][0], ly - face.landmarks[k][1]), 0) / 5;
      expect(offset / eyes).toBeLessThan(0.023);
      const [a, b] = await pipeline.embed(pixels, [face, found]);
      expect(cosine(a.embedding, b.embedding)).toBeGreaterThan(0.99);
    }
  });

  it('the re-identification clip: every returning person keeps their ID, no ID shared, no switches', async () => {
    const { score, summary, frames } = await run(REID_CLIP);
    console.log(formatScore(`${REID_CLIP.frames} frames, ${REID_CLIP.width}x${REID_CLIP.height}`, score));
    expect(score.people.map((p) => [p.person, p.ids.length])).toEqual(
      ['ref0', 'rogge', 'veneman', 'chavez', 'ref1', 'carter', 'ref2'].map((person) => [person, 1]));
    expect(score.sharedIds).toEqual([]);
    expect(score.idSwitches).toBe(0);
    expect(score.falsePositives).toBe(0);
    expect(score.coverage).toBeGreaterThan(0.8);
    // The summary: one line per person, in order of first appearance, the returning ones with two tracks.
    expect(summary.map((s) => [s.identity, s.tracks])).toEqual([['ID_0', 2], ['ID_1', 2], ['ID_2', 1], ['ID_3', 2], ['ID_4', 1], ['ID_5', 1], ['ID_6', 1]]);
    for (const s of summary) expect(s.frames).toBe(frames.filter((f) => f.faces.some((face) => face.identity === s.identity)).length);
    expect(frames.filter((f) => f.detected).length).toBe(REID_CLIP.frames / 10);
  }, 600_000);

  it('frames skipped, as a live camera skips them: numbered in the stream, the re-identification clip twice keeps one ID per person', async () => {
    // The newest frame whenever the last is done: 1 to 5 frames on (a slow machine), once 30 (a stall).
    const clip = await Clip.load(REID_CLIP);
    const steps = [3, 1, 4, 2, 5, 2, 3, 30, 2, 4, 1, 3];
    const tracker = new FaceTracker(pipeline);
    const truth: TruthFace[][] = [], shown: TrackedFace[][] = [];
    let last = -1;
    for (let n = 0, k = 0; n < 2 * clip.frames; n += steps[k++ % steps.length]) {
      const { pixels, truth: who } = clip.frame(n % clip.frames);
      truth.push(who);
      const result = await tracker.next(pixels, n);
      expect(result.frame).toBe(n);
      shown.push(result.faces);
      last = n;
    }
    const score = scoreClip(truth, shown);
    console.log(formatScore(`${truth.length} of ${2 * clip.frames} frames, skipping`, score));
    expect(score.people.map((p) => [p.person, p.ids.length]).sort()).toEqual(
      ['carter', 'chavez', 'ref0', 'ref1', 'ref2', 'rogge', 'veneman'].map((person) => [person, 1]));
    expect(score.sharedIds).toEqual([]);
    expect(score.idSwitches).toBe(0);
    expect(score.falsePositives).toBe(0);
    const { pixels } = clip.frame(0);
    await expect(tracker.next(pixels, last)).rejects.toThrow(`FaceTracker.next: the frame number must be a whole number after the last one (${last}), got ${last}`);
    await expect(tracker.next(pixels, 1e9 + 0.5)).rejects.toThrow(RangeError);
  }, 600_000);

  it('no ID for a face seen fewer than confirmHits times; one seen that often is shown from then on', async () => {
    /** ref2 in the middle of frames 2 … 1 + shown of a 6-frame clip. */
    const flash = (shown: number): ClipScript => ({ width: 320, height: 240, frames: 6, appearances: [
      { person: 'ref2', photo: reference('2_0'), keys: [{ frame: 2, x: 160, y: 120, scale: 0.5 }, { frame: 1 + shown, x: 160, y: 120, scale: 0.5 }] },
    ] });
    const twice = await run(flash(2), { detectEvery: 1 });
    expect(twice.frames.flatMap((f) => f.faces)).toEqual([]);
    const thrice = await run(flash(3), { detectEvery: 1 });
    expect(thrice.frames.map((f) => f.faces.map((face) => face.identity))).toEqual([[], [], [], [], ['ID_0'], []]);
  });

  it('names enrolled people, continues the gallery\'s ID numbers, and never changes the gallery', async () => {
    const gallery: Gallery = emptyGallery(await spaceOf(pipeline.embedder));
    const stills = async (photos: string[]) => Promise.all(photos.map(async (p) => (await pipeline.largestFace(`${SHARED}${p}`))!.embedding));
    enroll(gallery, 'Ann', await stills([reference('1_1')]));
    gallery.identities.push({ name: 'ID_0', anonymous: true, embeddings: (await stills([lfw('Jimmy_Carter', 6)])).map((e) => Array.from(e)) });
    gallery.nextId = 1;
    const before = JSON.stringify(gallery);
    const { score, summary } = await run(SHORT_CLIP, { gallery });
    console.log(formatScore(`short clip with a gallery`, score));
    expect(score.people.map((p) => [p.person, p.ids])).toEqual([['ref1', ['Ann']], ['rogge', ['ID_1']]]);
    expect(summary.map((s) => [s.identity, s.enrolled, s.tracks])).toEqual([['Ann', true, 2], ['ID_1', false, 1]]);
    expect(JSON.stringify(gallery)).toBe(before);
  });

  it('enrolling a live track names it from the next frame on; the person coming back is re-identified by that name', async () => {
    const clip = await Clip.load(SHORT_CLIP);
    const tracker = new FaceTracker(pipeline);
    const shown: string[][] = [];
    let first = '';
    for (let i = 0; i < clip.frames; i++) {
      const frame = await tracker.next(clip.frame(i).pixels);
      shown.push(frame.faces.map((f) => f.identity).sort());
      if (i === 5) { // ref1 (leaving at frame 10, back as another photo at 37) is named
        const ref1 = frame.faces.find((f) => f.box.x < 320)!;
        first = ref1.identity;
        const mean = tracker.appearance(ref1.track)!;
        expect(mean).toHaveLength(128);
        expect(tracker.appearance(999)).toBeUndefined();
        expect(tracker.enroll(999, 'Nobody')).toBe(false);
        expect(tracker.enroll(ref1.track, 'Ann')).toBe(true);
      }
      // Swapping the pipeline between frames (the page's device switch) changes nothing.
      if (i === 20) tracker.pipeline = FacePipeline.fromParts(pipeline.detector, pipeline.embedder);
    }
    const other = first === 'ID_0' ? 'ID_1' : 'ID_0';
    expect(shown[5]).toEqual(['ID_0', 'ID_1']);
    expect(shown[6]).toEqual(['Ann', other]);
    expect(shown[clip.frames - 1]).toEqual(['Ann', other]);
    expect(tracker.summary().map((s) => [s.identity, s.enrolled, s.tracks]).sort()).toEqual([['Ann', true, 2], [other, false, 1]]);
  });

  it('refuses nonsense options', () => {
    expect(() => new FaceTracker(pipeline, { detectEvery: 0 })).toThrow('FaceTracker: detectEvery must be a whole number of at least 1, got 0');
    expect(() => new FaceTracker(pipeline, { maxGap: 2.5 })).toThrow(/maxGap/);
    expect(() => new FaceTracker(pipeline, { minFaceSize: 5 })).toThrow('FaceTracker: minFaceSize must be at least 12 pixels, got 5');
    expect(() => new FaceTracker(pipeline, { threshold: 2 })).toThrow(/threshold must be a cosine in \[-1, 1\], got 2/);
  });
});
