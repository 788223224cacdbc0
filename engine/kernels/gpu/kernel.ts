// The contract every gpu.js kernel meets. A factory builds, at plan time, one kernel per output
// of a kernel node (lower/kernel-node.ts: its variant's canonical parameters and its shapes):
// plain data, no gpu.js object (the backend creates the gpu.js kernels; tests can too).
//
//   source     `function (x0, x1, ...) { ...; return v; }` in gpu.js's kernel language, one
//              argument per node input, computing ONE output element. A string, built here with
//              the sizes written in as literals (loop bounds WebGL 1 accepts, constants the
//              WebAssembly backend folds), so no bundler or test transform can rewrite it.
//   output     the grid [X, Y, Z] of threads; element (x, y, z) is flat index x + X * (y + Y * z).
//   constants  Float32Arrays the code reads as this.constants.NAME[i] (weights, per-channel values).
//
// Layout: every value is its dense row-major (NCHW) array, read by flat index (x0[i]) whatever
// grid its producer used; each kernel writes the flat order, but picks the grid that suits it.
// What is constant along a grid row (the channel of a convolution) goes on z (y for the window
// ops: the output row): gpu.js's WebAssembly backend runs four x-neighbours in one SIMD vector, so
// a value indexed only by y and z is one scalar load where an x-dependent one is a four-lane
// gather. Grids keep y = 1 but for the window ops: WebGL lays a grid [X, Y, 1] out as an X-wide
// texture, which the GPU's maximum texture size (8192 on many) may not hold; [X, 1, Z] gets a
// near-square one. Indices are floats on most gpu.js backends: exact up to 2^24, the backend's
// limit on a value's size.

import type { Shape } from '../../graph/graph.js';
import type { KernelOf, Variant } from '../../lower/kernel-node.js';

export interface GpuKernel {
  source: string;
  output: [number, number, number];
  constants: Record<string, Float32Array>;
}

export type GpuKernelFactory<V extends Variant = Variant> = (k: KernelOf<V>) => GpuKernel[];

/** A kernel function of `inputs` arguments x0, x1, ... around `body`. */
export function kernelSource(inputs: number, body: string): string {
  return `function (${Array.from({ length: inputs }, (_, i) => `x${i}`).join(', ')}) {\n${body}\n}`;
}

/** The grid [inner, 1, N*C] of a value [N, C, ...]: one grid row per plane. */
export function planeGrid(shape: Shape): [number, number, number] {
  let inner = 1;
  for (let d = 2; d < shape.length; d++) inner *= shape[d];
  return [inner, 1, (shape[0] ?? 1) * (shape[1] ?? 1)];
}

/** Kernel code: n = floor(z / count) and c = z - n * count, robust to inexact float division
 *  (the +0.5 keeps the quotient at least 0.5 / count from an integer). */
export function splitZ(count: number, n = 'n', c = 'c'): string {
  return `const ${n} = Math.floor((this.thread.z + 0.5) / ${count});\n  const ${c} = this.thread.z - ${n} * ${count};`;
}
