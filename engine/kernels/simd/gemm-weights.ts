// How gemm.ts wants its weights: packed at plan time in blocks of ROWS = 4 output rows, each
// value splatted to a whole vector (16 bytes) so the product loads it with one plain
// `v128.load` (TurboFan folds its offset into the address; a `load32_splat`'s it does not,
// and spills a base register per offset):
//
//   block b = [bias[r]]_r   [slope[r]]_r (prelu only)   [W[r, k]]_{k, r}      r = 4b .. 4b+3
//
// with zeros past row O. A block's k steps are 64 bytes apart, read in order.

import type { NodeOf } from '../../graph/ops.js';
import type { SimdActivation } from './activation.js';

export const ROWS = 4;

/** Vectors before a block's weights: the bias, then the prelu slopes, one per row. */
export const headVectors = (act: SimdActivation) => (act.kind === 'prelu' ? 2 : 1) * ROWS;

/** Packs W [O, K] (row-major), bias [O] and prelu slope [O] or [1]. */
export function packGemm(O: number, K: number, act: SimdActivation, weight: Float32Array,
  bias: Float32Array | undefined, slope: Float32Array | undefined): Float32Array {
  const head = headVectors(act);
  const out = new Float32Array(4 * Math.ceil(O / ROWS) * (head + ROWS * K));
  const put = (vector: number, value: number) => out.fill(value, 4 * vector, 4 * vector + 4);
  for (let o = 0; o < O; o++) {
    const block = Math.floor(o / ROWS) * (head + ROWS * K);
    const r = o % ROWS;
    if (bias) put(block + r, bias[o]);
    if (slope) put(block + ROWS + r, slope[slope.length === 1 ? 0 : o]);
    for (let k = 0; k < K; k++) put(block + head + ROWS * k + r, weight[o * K + k]);
  }
  return out;
}

/** A grouped Conv's weights, packed group after group; groupBytes apart. */
export function packGroups(node: NodeOf<'Conv'>, groups: number): { weights: Float32Array; groupBytes: number } {
  const { weight, bias, slope } = node.weights;
  const act = node.attrs.activation;
  const O = node.attrs.outChannels / groups;
  const K = weight.data.length / node.attrs.outChannels;
  const packed = Array.from({ length: groups }, (_, g) => packGemm(O, K, act, weight.data.subarray(g * O * K, (g + 1) * O * K),
    bias?.data.subarray(g * O, (g + 1) * O), slope && (slope.data.length === 1 ? slope.data : slope.data.subarray(g * O, (g + 1) * O))));
  const weights = new Float32Array(packed.reduce((s, p) => s + p.length, 0));
  packed.forEach((p, g) => weights.set(p, g * p.length));
  return { weights, groupBytes: 4 * packed[0].length };
}
