// Verification accuracy from pair scores: a pair is called "same person" when its score is at
// least the threshold. Thresholds are chosen to maximise accuracy, and LFW's protocol chooses
// each fold's threshold on the other folds (10-fold cross-validation).

export interface Scored {
  score: number;
  same: boolean;
}

export interface FoldResult {
  fold: number;
  threshold: number;
  accuracy: number;
  pairs: number;
}

export interface CrossValidation {
  folds: FoldResult[];
  /** Mean and population standard deviation (numpy's np.std, as LFW papers' code reports) of the folds' accuracies. */
  mean: number;
  std: number;
}

/** The fraction of pairs the threshold classifies correctly. */
export function accuracyAt(pairs: readonly Scored[], threshold: number): number {
  let correct = 0;
  for (const { score, same } of pairs) if ((score >= threshold) === same) correct++;
  return correct / pairs.length;
}

/**
 * The threshold that classifies the most pairs correctly, searched over the midpoints between
 * neighbouring distinct scores and one step beyond either end (all "same" / all "different").
 * Ties go to the lowest such threshold (as np.argmax over ascending thresholds does).
 */
export function bestThreshold(pairs: readonly Scored[]): { threshold: number; accuracy: number } {
  if (pairs.length === 0) throw new RangeError('bestThreshold: no pairs to choose a threshold on');
  const sorted = [...pairs].sort((p, q) => p.score - q.score);
  // Threshold below sorted[i]'s score and above every lower one: the pairs from i on are called
  // same. Correct = different pairs below i + same pairs from i on.
  let correct = sorted.filter((p) => p.same).length;
  let best = { correct, threshold: sorted[0].score - 1 };
  for (let i = 0; i < sorted.length; ) {
    const score = sorted[i].score;
    for (; i < sorted.length && sorted[i].score === score; i++) correct += sorted[i].same ? -1 : 1;
    if (correct > best.correct) {
      best = { correct, threshold: i < sorted.length ? (score + sorted[i].score) / 2 : score + 1 };
    }
  }
  return { threshold: best.threshold, accuracy: best.correct / pairs.length };
}

/**
 * Each fold's accuracy at the threshold chosen on all the other folds' pairs. Needs at least two
 * folds; `fold` gives each pair's fold number.
 */
export function crossValidate(pairs: readonly (Scored & { fold: number })[]): CrossValidation {
  const folds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  if (folds.length < 2) throw new RangeError(`crossValidate: needs pairs from at least 2 folds, got ${folds.length}`);
  const results = folds.map((fold) => {
    const test = pairs.filter((p) => p.fold === fold);
    const { threshold } = bestThreshold(pairs.filter((p) => p.fold !== fold));
    return { fold, threshold, accuracy: accuracyAt(test, threshold), pairs: test.length };
  });
  return { folds: results, ...meanStd(results.map((r) => r.accuracy)) };
}

/** Mean and population standard deviation (divide by n, numpy's default). */
function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}
