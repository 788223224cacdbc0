// The LFW verification protocol: the pairs whose images exist, each image embedded once, the
// cosine of each pair, then accuracy by cross-validation over the folds (or, when the pairs come
// from one fold only, that fold at the threshold best on itself), the ROC curve and its area.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cosine, type Embedder } from '../rmnet/embedder.js';
import { bestThreshold, crossValidate, type FoldResult, type Scored } from './cross-validation.js';
import { embedImages, type CropRule, type EmbedOptions } from './embed-images.js';
import type { Pair, PairList } from './pairs.js';
import { roc, type Roc } from './roc.js';

export interface Selection {
  /** Pairs whose two images are both under the images folder. */
  used: Pair[];
  skipped: Pair[];
  /** The images the skipped pairs lack, each once, in pairs.txt order. */
  missing: string[];
}

export interface Verification {
  /** How the accuracy was measured, in words. */
  protocol: string;
  accuracy: { mean: number; std: number };
  folds: FoldResult[];
  /** The threshold best on all the pairs together. */
  bestThreshold: number;
  auc: number;
  roc: Roc;
}

/** The pairs of `fold` (all folds when undefined), split by whether their images exist under `dir`. */
export function selectPairs(list: PairList, dir: string, fold?: number): Selection {
  if (fold !== undefined && !(Number.isInteger(fold) && fold >= 1 && fold <= list.folds)) {
    throw new RangeError(`fold ${fold} does not exist: pairs.txt has folds 1 to ${list.folds}`);
  }
  const exists = new Map<string, boolean>();
  const has = (image: string) => {
    if (!exists.has(image)) exists.set(image, existsSync(join(dir, image)));
    return exists.get(image)!;
  };
  const used: Pair[] = [], skipped: Pair[] = [], missing = new Set<string>();
  for (const pair of list.pairs) {
    if (fold !== undefined && pair.fold !== fold) continue;
    const lacking = [pair.a, pair.b].filter((image) => !has(image));
    (lacking.length === 0 ? used : skipped).push(pair);
    for (const image of lacking) missing.add(image);
  }
  return { used, skipped, missing: [...missing] };
}

/**
 * Embeds the pairs' images once and measures verification on their cosines: the plain
 * embeddings, and with mirrors also the flip-averaged ones (from the same pass).
 */
export async function evaluateLfw(
  embedder: Embedder, pairs: readonly Pair[], dir: string, rule: CropRule, options: EmbedOptions = {},
): Promise<{ plain: Verification; flipped?: Verification }> {
  const images = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const embeddings = await embedImages(embedder, images, dir, rule, options);
  const scored = (which: 'plain' | 'flipped') => pairs.map((p) => ({
    fold: p.fold, same: p.same, score: cosine(embeddings.get(p.a)![which]!, embeddings.get(p.b)![which]!),
  }));
  return { plain: verify(scored('plain')), flipped: options.mirrors ? verify(scored('flipped')) : undefined };
}

/** Accuracy by cross-validation over the folds present; a single fold is measured at its own best threshold. */
export function verify(pairs: readonly (Scored & { fold: number })[]): Verification {
  if (pairs.length === 0) throw new RangeError('no pairs to measure verification on');
  const best = bestThreshold(pairs);
  const folds = [...new Set(pairs.map((p) => p.fold))];
  const curve = roc(pairs);
  const common = { bestThreshold: best.threshold, roc: curve, auc: curve.auc };
  if (folds.length === 1) {
    return {
      protocol: `fold ${folds[0]} alone, at the threshold best on fold ${folds[0]} itself (not cross-validated: optimistic)`,
      accuracy: { mean: best.accuracy, std: 0 },
      folds: [{ fold: folds[0], threshold: best.threshold, accuracy: best.accuracy, pairs: pairs.length }],
      ...common,
    };
  }
  const cv = crossValidate(pairs);
  return {
    protocol: `${folds.length}-fold cross-validation (each fold at the threshold best on the other ${folds.length - 1})`,
    accuracy: { mean: cv.mean, std: cv.std },
    folds: cv.folds,
    ...common,
  };
}
