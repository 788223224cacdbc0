// The LFW files: pairs.txt (the View 2 verification pairs, in folds) and lfw_landmark.txt (five
// points per image). Images are named by their path under the LFW folder: Name/Name_0001.jpg.

import type { Point } from '../rmnet/similarity.js';

export interface Pair {
  /** 1-based fold. */
  fold: number;
  a: string;
  b: string;
  same: boolean;
  /** 1-based line in pairs.txt. */
  line: number;
}

export interface PairList {
  folds: number;
  /** Matched pairs per fold (as many mismatched follow them). */
  perFold: number;
  pairs: Pair[];
}

/** An LFW image's path under the LFW folder: the number padded to 4 digits. */
export function lfwImage(name: string, number: number): string {
  return `${name}/${name}_${String(number).padStart(4, '0')}.jpg`;
}

/**
 * pairs.txt: a header `folds perFold`, then per fold perFold matched pairs `name n1 n2` followed
 * by perFold mismatched pairs `name1 n1 name2 n2` (fields separated by tabs or spaces).
 */
export function parsePairs(text: string, source = 'pairs.txt'): PairList {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const header = fields(lines[0] ?? '');
  const [folds, perFold] = header.map(Number);
  if (header.length !== 2 || !(Number.isInteger(folds) && folds > 0) || !(Number.isInteger(perFold) && perFold > 0)) {
    throw new SyntaxError(`${source}:1: expected the header 'folds pairsPerFold' (View 2, e.g. '10 300'), got '${lines[0] ?? ''}'`);
  }
  const expected = 1 + folds * 2 * perFold;
  if (lines.length !== expected) {
    throw new SyntaxError(`${source}: the header '${folds} ${perFold}' means ${expected - 1} pair lines, found ${lines.length - 1}`);
  }
  const pairs = lines.slice(1).map((text, i): Pair => {
    const same = i % (2 * perFold) < perFold;
    const line = i + 2;
    const f = fields(text);
    const number = (field: string) => {
      const n = Number(field);
      if (!/^\d+$/.test(field) || n < 1) throw new SyntaxError(`${source}:${line}: image number '${field}' is not a positive integer`);
      return n;
    };
    const fold = Math.floor(i / (2 * perFold)) + 1;
    if (same && f.length === 3) return { fold, a: lfwImage(f[0], number(f[1])), b: lfwImage(f[0], number(f[2])), same, line };
    if (!same && f.length === 4) return { fold, a: lfwImage(f[0], number(f[1])), b: lfwImage(f[2], number(f[3])), same, line };
    const kind = same ? `matched pair 'name n1 n2'` : `mismatched pair 'name1 n1 name2 n2'`;
    throw new SyntaxError(`${source}:${line}: fold ${fold} expects a ${kind} here, got ${f.length} fields: '${text}'`);
  });
  return { folds, perFold, pairs };
}

/** lfw_landmark.txt: per line `Name/Name_0001.jpg x1 y1 … x5 y5` (tab-separated), in pixels of the 250x250 originals. */
export function parseLandmarks(text: string, source = 'lfw_landmark.txt'): Map<string, Point[]> {
  const landmarks = new Map<string, Point[]>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const [image, ...values] = fields(line);
    const numbers = values.map(Number);
    if (numbers.length !== 10 || !numbers.every(Number.isFinite)) {
      throw new SyntaxError(`${source}:${i + 1}: expected an image and 10 numbers (x1 y1 … x5 y5), got '${line}'`);
    }
    landmarks.set(image, Array.from({ length: 5 }, (_, k) => ({ x: numbers[2 * k], y: numbers[2 * k + 1] })));
  });
  return landmarks;
}

const fields = (line: string) => line.trim().split(/\s+/).filter((f) => f !== '');
