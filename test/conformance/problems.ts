// The conformance problems: each variant's cases (cases/) built into nodes and inputs from a PRNG
// seeded by the variant's name (the same numbers on every backend, in Node and in the browser),
// and the kernel node of each as that variant.

import type { Shape } from '../../engine/graph/graph.js';
import { inferShapes } from '../../engine/graph/ops.js';
import { kernelNode } from '../../engine/lower/index.js';
import type { KernelNode, Variant } from '../../engine/lower/kernel-node.js';
import { prng } from '../kernels/reference.js';
import { build, type Problem } from './case.js';
import { CASES } from './cases/index.js';

/** A string's FNV-1a hash: the seed of a variant's problems. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const VARIANTS = Object.keys(CASES) as Variant[];

export function problemsOf(variant: Variant): Problem[] {
  const rand = prng(seedOf(variant));
  return CASES[variant].map((c) => build(rand, c));
}

/** The problem's node lowered as `variant` (the lowering refuses a variant that cannot run it). */
export function kernelOf(variant: Variant, { node, inputs }: Problem): KernelNode {
  const inShapes: Shape[] = inputs.map((t) => t.shape);
  return kernelNode(node, variant, inShapes, inferShapes(node, inShapes));
}
