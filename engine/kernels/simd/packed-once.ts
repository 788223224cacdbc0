// Packed constants made once per set of things they are made from. A net compiled for several
// input shapes (MTCNN's tiles and batches, RMNet at batch 1 and 2) lowers to kernel nodes that
// hold the same weight arrays (compile.ts runs the passes once per imported graph), so each
// layer's weights are packed once, not once per shape. Valid because weights are never changed
// in place after import: every pass that changes them makes new arrays.

import type { KernelActivation } from '../../lower/kernel-node.js';

/** What packed constants are made from: arrays (compared by identity) and numbers or strings. */
type Source = Float32Array | number | string;

const made = new WeakMap<Float32Array, { sources: Source[]; packed: Float32Array }[]>();

/** `pack()`, or what it returned before for the same `sources` (the first the weights, the rest also read by `pack`). */
export function packedOnce(sources: [Float32Array, ...Source[]], pack: () => Float32Array): Float32Array {
  let entries = made.get(sources[0]);
  if (!entries) made.set(sources[0], entries = []);
  const found = entries.find((e) => e.sources.length === sources.length && e.sources.every((s, i) => s === sources[i]));
  if (found) return found.packed;
  const packed = pack();
  entries.push({ sources, packed });
  return packed;
}

/** What a packing reads of an activation: a prelu's slopes (none for the others, which pack alike). */
export const slopeOf = (act: KernelActivation): Float32Array[] => (act.kind === 'prelu' ? [act.slope] : []);
