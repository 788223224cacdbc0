// How gemm.ts wants its weights: packed at plan time in blocks of ROWS = 4 output rows, one float
// each, which the product broadcasts to a vector as it loads it (`v128.load32_splat`). In floats:
//
//   block b = [bias[r]]_r   [slope[r]]_r (prelu only)   [W[r, k]]_{k, r}      r = 4b .. 4b+3
//
// with zeros past row O. A block's k steps are 16 bytes apart, read in order. (Each value used to
// be stored four times, a whole vector, for a plain `v128.load`: V8 now folds a load32_splat's
// offset as it does a load's, and the copies cost 4x the memory: bench/NOTES.md §27.)

import type { ConvParams, KernelActivation } from '../../lower/kernel-node.js';
import { packedOnce, slopeOf } from './packed-once.js';

export const ROWS = 4;

/** Floats before a block's weights: the bias, then the prelu slopes, one per row. */
export const headFloats = (act: KernelActivation) => (act.kind === 'prelu' ? 2 : 1) * ROWS;

/** Floats of W [O, K] packed (packGemm). */
export const packedFloats = (O: number, K: number, act: KernelActivation) => Math.ceil(O / ROWS) * (headFloats(act) + ROWS * K);

/**
 * Packs W [O, K] (row-major), bias [O] and, for prelu, the activation's slopes [O] into `out` from
 * `at` (by default an array of its own).
 */
export function packGemm(O: number, K: number, act: KernelActivation, weight: Float32Array, bias: Float32Array,
  out = new Float32Array(packedFloats(O, K, act)), at = 0): Float32Array {
  const head = headFloats(act);
  for (let o = 0; o < O; o++) {
    const block = at + Math.floor(o / ROWS) * (head + ROWS * K);
    const r = o % ROWS;
    out[block + r] = bias[o];
    if (act.kind === 'prelu') out[block + ROWS + r] = act.slope[o];
    for (let k = 0; k < K; k++) out[block + head + ROWS * k + r] = weight[o * K + k];
  }
  return out;
}

/** A convolution's weights packed group after group (each group's O / G rows by Cg·KH·KW), groupBytes apart in memory; once per net (packed-once.ts). */
export function packGroups({ weight, bias, activation, group: G }: ConvParams, O: number): { weights: Float32Array; groupBytes: number } {
  const Og = O / G;
  const K = weight.length / O;
  const weights = packedOnce([weight, bias, ...slopeOf(activation), O, G], () => {
    const size = packedFloats(Og, K, activation);
    const all = new Float32Array(G * size);
    for (let g = 0; g < G; g++) {
      const rows = (a: Float32Array, per: number) => a.subarray(g * Og * per, (g + 1) * Og * per);
      const act: KernelActivation = activation.kind === 'prelu' ? { kind: 'prelu', slope: rows(activation.slope, 1) } : activation;
      packGemm(Og, K, act, rows(weight, K), rows(bias, 1), all, g * size);
    }
    return all;
  });
  return { weights, groupBytes: (4 * weights.length) / G };
}
