// The LFW protocol: file parsing, threshold search and cross-validation on synthetic scores, ROC,
// then the real fold 1 (600 pairs, 807 images in ../shared/lfw) through the library and the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyAt, bestThreshold, crossValidate } from '../eval/cross-validation.js';
import { embedImages, type CropRule } from '../eval/embed-images.js';
import { evaluateLfw, selectPairs, verify, type Verification } from '../eval/lfw.js';
import { lfwImage, parseLandmarks, parsePairs } from '../eval/pairs.js';
import { roc } from '../eval/roc.js';
import { readImage } from '../io/image.js';
import { alignedCropInto, ARCFACE_112 } from '../rmnet/align.js';
import { Embedder } from '../rmnet/embedder.js';
import { MODELS, SHARED } from './helpers/shared.js';

const LFW = `${SHARED}lfw/`;
const ALIGNED = `${LFW}aligned112`;
const THUMBNAILS = `${LFW}images`;
const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'facereid-lfw-'));
const ARCFACE: CropRule = { kind: 'aligned', name: 'arcface112', template: ARCFACE_112, size: 112 };

function facereid(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Pairs with a score, for the threshold functions. */
const scored = (same: number[], different: number[], fold = 1) => [
  ...same.map((score) => ({ score, same: true, fold })),
  ...different.map((score) => ({ score, same: false, fold })),
];

describe('pairs.txt and lfw_landmark.txt', () => {
  it('parses the header, matched and mismatched lines, folds and 4-digit zero padding', () => {
    const list = parsePairs('2\t1\nAbel_Pacheco\t1\t4\nA_B\t12\tC_D\t123\nZico 2 3\nX 1234 Y 1\n');
    expect(list.folds).toBe(2);
    expect(list.perFold).toBe(1);
    expect(list.pairs).toEqual([
      { fold: 1, a: 'Abel_Pacheco/Abel_Pacheco_0001.jpg', b: 'Abel_Pacheco/Abel_Pacheco_0004.jpg', same: true, line: 2 },
      { fold: 1, a: 'A_B/A_B_0012.jpg', b: 'C_D/C_D_0123.jpg', same: false, line: 3 },
      { fold: 2, a: 'Zico/Zico_0002.jpg', b: 'Zico/Zico_0003.jpg', same: true, line: 4 },
      { fold: 2, a: 'X/X_1234.jpg', b: 'Y/Y_0001.jpg', same: false, line: 5 },
    ]);
    expect(lfwImage('Zico', 7)).toBe('Zico/Zico_0007.jpg');
  });

  it('reads the real pairs.txt: 10 folds of 300 + 300', () => {
    const list = parsePairs(readFileSync(`${LFW}pairs.txt`, 'utf8'));
    expect([list.folds, list.perFold, list.pairs.length]).toEqual([10, 300, 6000]);
    expect(list.pairs[300]).toMatchObject({ fold: 1, same: false, a: 'Abdel_Madi_Shabneh/Abdel_Madi_Shabneh_0001.jpg' });
    expect(list.pairs[600]).toMatchObject({ fold: 2, same: true });
  });

  it('names the line and what it expected', () => {
    expect(() => parsePairs('1100\n')).toThrow(`pairs.txt:1: expected the header 'folds pairsPerFold'`);
    expect(() => parsePairs('1 1\nA 1 2\n')).toThrow(`the header '1 1' means 2 pair lines, found 1`);
    expect(() => parsePairs('1 1\nA 1 B 2\nC 1 D 2\n', 'p.txt')).toThrow(`p.txt:2: fold 1 expects a matched pair 'name n1 n2' here, got 4 fields`);
    expect(() => parsePairs('1 1\nA 1 2\nC 1 D x\n')).toThrow(`pairs.txt:3: image number 'x' is not a positive integer`);
  });

  it('parses landmark lines into five points', () => {
    const map = parseLandmarks('Aaron_Eckhart/Aaron_Eckhart_0001.jpg\t107\t107\t147\t111\t124\t143\t103\t157\t139\t161\n');
    expect(map.get('Aaron_Eckhart/Aaron_Eckhart_0001.jpg')).toEqual([
      { x: 107, y: 107 }, { x: 147, y: 111 }, { x: 124, y: 143 }, { x: 103, y: 157 }, { x: 139, y: 161 },
    ]);
    expect(() => parseLandmarks('a.jpg 1 2 3\n', 'lm.txt')).toThrow('lm.txt:1: expected an image and 10 numbers');
  });
});

describe('thresholds, cross-validation, ROC', () => {
  it('perfectly separable scores: accuracy 1 at a threshold between the classes', () => {
    const pairs = scored([0.9, 0.8, 0.6], [0.5, 0.3, 0.1]);
    expect(bestThreshold(pairs).accuracy).toBe(1);
    expect(bestThreshold(pairs).threshold).toBeCloseTo(0.55, 12);
    const folds = [...scored([0.9, 0.7], [0.2, 0.1], 1), ...scored([0.8, 0.6], [0.3, 0.25], 2), ...scored([0.95, 0.5], [0.4, 0], 3)];
    const cv = crossValidate(folds);
    expect(cv.folds.map((f) => f.accuracy)).toEqual([1, 1, 1]);
    expect([cv.mean, cv.std]).toEqual([1, 0]);
  });

  it('finds the known best threshold, ties to the lowest, and the ends', () => {
    // 5 of 6 at best: 0.35 (the different pair at 0.6 called same) or 0.65 (the same pair at 0.4 called different).
    const best = bestThreshold(scored([0.9, 0.7, 0.4], [0.6, 0.3, 0.2]));
    expect(best.accuracy).toBe(5 / 6);
    expect(best.threshold).toBeCloseTo(0.35, 12);
    const allSame = bestThreshold(scored([0.9, 0.8], []));
    expect([allSame.accuracy, allSame.threshold < 0.8]).toEqual([1, true]);
    const allDifferent = bestThreshold(scored([], [0.2, 0.1]));
    expect([allDifferent.accuracy, allDifferent.threshold > 0.2]).toEqual([1, true]);
    expect(accuracyAt(scored([0.9, 0.5], [0.5, 0.1]), 0.5)).toBe(0.75); // ≥ threshold is "same"
  });

  it('each fold uses the threshold chosen on the others; std is the population std', () => {
    // Folds 1 and 2 put the threshold near 0.5; fold 3's pairs then score 1/2.
    const pairs = [...scored([0.9], [0.1], 1), ...scored([0.8], [0.2], 2), ...scored([0.45], [0.05], 3)];
    const cv = crossValidate(pairs);
    expect(cv.folds.map((f) => [f.fold, f.accuracy])).toEqual([[1, 1], [2, 1], [3, 0.5]]);
    cv.folds.forEach((f, i) => expect(f.threshold).toBeCloseTo([0.325, 0.275, 0.5][i], 12));
    expect(cv.mean).toBeCloseTo(5 / 6, 12);
    expect(cv.std).toBeCloseTo(Math.sqrt(((1 / 6) ** 2 * 2 + (1 / 3) ** 2) / 3), 12); // divide by n, not n - 1
    expect(() => crossValidate(scored([0.9], [0.1]))).toThrow('needs pairs from at least 2 folds');
  });

  it('verify: cross-validation over two or more folds, a lone fold at its own best threshold', () => {
    const two = verify([...scored([0.9], [0.1], 1), ...scored([0.8], [0.2], 2)]);
    expect(two.protocol).toBe('2-fold cross-validation (each fold at the threshold best on the other 1)');
    expect(two.folds.map((f) => f.fold)).toEqual([1, 2]);
    const one = verify(scored([0.9, 0.4], [0.5, 0.1], 4));
    expect(one.protocol).toMatch(/^fold 4 alone, at the threshold best on fold 4 itself/);
    expect([one.accuracy, one.folds.length, one.auc]).toEqual([{ mean: 0.75, std: 0 }, 1, 0.75]);
  });

  it('ROC of a tiny example: points and AUC', () => {
    const curve = roc(scored([0.9, 0.7], [0.8, 0.1]));
    expect(curve.points.map((p) => [p.fpr, p.tpr])).toEqual([[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]]);
    expect(curve.auc).toBe(0.75);
    expect(roc(scored([0.5, 0.5], [0.5, 0.5])).auc).toBe(0.5); // ties count half
    expect(roc(scored([0.9], [0.1])).auc).toBe(1);
  });
});

describe('LFW fold 1 (the images in ../shared/lfw)', () => {
  const list = parsePairs(readFileSync(`${LFW}pairs.txt`, 'utf8'));
  const embedder = Embedder.load({ models: MODELS });

  it('only fold 1 has images: 600 pairs used, 5400 skipped', () => {
    for (const dir of [ALIGNED, THUMBNAILS]) {
      const selection = selectPairs(list, dir);
      expect(selection.used.length).toBe(600);
      expect(selection.used.every((p) => p.fold === 1)).toBe(true);
      expect(selection.skipped.length).toBe(5400);
    }
    expect(selectPairs(list, ALIGNED, 1).skipped).toEqual([]);
  });

  it('the flip-averaged embeddings of one pass equal Embedder.embedTensor with flip', async () => {
    const images = ['Abel_Pacheco/Abel_Pacheco_0001.jpg', 'Zico/Zico_0002.jpg', 'Zico/Zico_0003.jpg'];
    const net = await embedder;
    const ours = await embedImages(net, images, ALIGNED, ARCFACE, { mirrors: true, batch: 2 });
    const input = new Float32Array(images.length * 3 * 128 * 128);
    for (const [i, image] of images.entries()) alignedCropInto(await readImage(join(ALIGNED, image)), ARCFACE_112, input, i * 3 * 128 * 128);
    const [plain, flipped] = await Promise.all([false, true].map((flip) => net.embedTensor(input, images.length, flip)));
    const diff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, k) => Math.abs(v - b[k])));
    for (const [i, image] of images.entries()) {
      expect(diff(ours.get(image)!.plain, plain[i])).toBeLessThan(1e-5);
      expect(diff(ours.get(image)!.flipped!, flipped[i])).toBeLessThan(1e-5);
    }
  });

  /** Fold 1 at its own best threshold, plain and flipped from one pass, each ≥ `minimum`. */
  async function expectAccuracy(label: string, dir: string, rule: CropRule, minimum: number) {
    const selection = selectPairs(list, dir, 1);
    const start = Date.now();
    const { plain, flipped } = await evaluateLfw(await embedder, selection.used, dir, rule, { mirrors: true });
    const line = (v: Verification) => `${v.accuracy.mean.toFixed(4)} (threshold ${v.bestThreshold.toFixed(4)}, AUC ${v.auc.toFixed(5)})`;
    console.log(`LFW fold 1, ${label}: no flip ${line(plain)}, flip ${line(flipped!)}; ${((Date.now() - start) / 1000).toFixed(1)} s`);
    for (const v of [plain, flipped!]) {
      expect(v.protocol).toMatch(/^fold 1 alone, at the threshold best on fold 1 itself/);
      expect(v.accuracy.mean).toBeGreaterThanOrEqual(minimum);
      expect(v.bestThreshold).toBeGreaterThan(0.15);
      expect(v.bestThreshold).toBeLessThan(0.45);
    }
  }

  it('aligned 112x112 crops (ArcFace template): accuracy ≥ 0.98 with and without flip', async () => {
    await expectAccuracy('aligned112', ALIGNED, ARCFACE, 0.98);
  }, 900_000);

  it('150x150 thumbnails aligned by lfw_landmark.txt × 0.6: accuracy ≥ 0.975 with and without flip', async () => {
    const landmarks = parseLandmarks(readFileSync(`${LFW}lfw_landmark.txt`, 'utf8'));
    await expectAccuracy('thumbnails', THUMBNAILS, { kind: 'landmarks', landmarks, scale: 0.6 }, 0.975);
  }, 900_000);
});

describe('facereid eval lfw', () => {
  // Fold 1: one matched and one mismatched pair that exist; fold 2: the same kinds, images missing.
  const pairs = join(tmp, 'pairs.txt');
  writeFileSync(pairs, '2\t1\nZico\t2\t3\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\nNobody\t1\t2\nNobody\t1\tNoone\t1\n');
  const base = ['eval', 'lfw', '--models', MODELS, '--pairs', pairs, '--images', ALIGNED, '--aligned', 'arcface112'];

  it('reports and skips pairs whose images are missing; --json; --roc writes PNG and SVG', () => {
    const png = join(tmp, 'roc.png');
    const r = facereid(...base, '--no-flip', '--json', '--roc', png);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^facereid: 2 of 4 pairs lack images: 3 missing under .*aligned112 \(Nobody\/Nobody_0001\.jpg, Nobody\/Nobody_0002\.jpg, Noone\/Noone_0001\.jpg\); skipping those pairs\n/);
    const report = JSON.parse(r.stdout);
    expect(report.pairs).toEqual({ used: 2, skipped: 2 });
    expect(report.flip).toBe(false);
    expect(report.folds).toHaveLength(1);
    expect(report.accuracy).toEqual({ mean: 1, std: 0 });
    expect(Object.keys(report)).toEqual(['protocol', 'accuracy', 'folds', 'bestThreshold', 'auc', 'pairs', 'flip']);
    expect([...readFileSync(png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

    const svg = join(tmp, 'roc.svg');
    const text = facereid(...base, '--folds', '1', '--roc', svg); // flip on by default, as for every detected or aligned face
    expect(text.status, text.stderr).toBe(0);
    expect(text.stderr).not.toMatch(/lack images/); // fold 1's images all exist
    expect(text.stdout).toMatch(/^LFW: fold 1 alone, at the threshold best on fold 1 itself/);
    expect(text.stdout).toMatch(/pairs used 2, skipped 0; flip on\n$/);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*AUC 1\.0000[\s\S]*<\/svg>\n$/);
  });

  it('refuses missing images with --strict, and bad options, in one line', () => {
    const cases: [string[], RegExp][] = [
      [[...base, '--strict'], /2 of 4 pairs lack images: 3 missing .*; --strict refuses to skip them/],
      [base.filter((a) => a !== '--aligned' && a !== 'arcface112'), /needs one of --landmarks FILE .* or --aligned arcface112/],
      [[...base, '--landmarks', pairs], /needs one of --landmarks FILE/],
      [[...base.slice(0, -1), 'vggface'], /option '--aligned <LAYOUT>' argument 'vggface' is invalid\. Allowed choices are arcface112/],
      [[...base, '--folds', '3'], /--folds must be 'all' or a fold from 1 to 2, got '3'/],
      [[...base, '--roc', 'x.jpg'], /--roc x\.jpg: the picture is written as \.png or \.svg/],
      [['eval', 'cfp', '--pairs', pairs, '--images', ALIGNED], /value 'cfp' is invalid for argument 'benchmark'\. Allowed choices are lfw/],
      [['eval', 'lfw', '--pairs', join(tmp, 'none.txt'), '--images', ALIGNED, '--aligned', 'arcface112'], /cannot read pairs file .*none\.txt: no such file/],
    ];
    for (const [args, message] of cases) {
      const r = facereid(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^facereid: [^\n]*\n$/);
      expect(r.stderr).toMatch(message);
    }
  });
});
