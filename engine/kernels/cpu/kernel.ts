// The contract every CPU kernel meets. A kernel is built once per kernel node by its factory, at
// plan time, from the node's canonical parameters and shapes (lower/kernel-node.ts): it may pack
// weights and precompute indices then. The returned function runs it: it reads `inputs`, writes
// every element of `outputs`, may use the node's `scratch` floats (whose contents are undefined on
// entry), allocates nothing, and never sees an output overlapping an input.
// Each array is exactly as long as its shape's element count (NCHW, row-major).

import type { KernelOf, Variant } from '../../lower/kernel-node.js';

export type CpuKernel = (inputs: Float32Array[], outputs: Float32Array[], scratch: Float32Array) => void;

export type CpuKernelFactory<V extends Variant = Variant> = (k: KernelOf<V>) => CpuKernel;
