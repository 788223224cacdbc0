// The contract every CPU kernel meets. A kernel is built once per node by its factory, at
// plan time, from the node and its (already inferred) shapes: it may pack weights and
// precompute indices then. The returned function runs it: it reads `inputs`, writes every
// element of `outputs`, allocates nothing, and never sees an output aliasing an input.
// Each array is exactly as long as its shape's element count (NCHW, row-major).

import type { Node, Shape } from '../../graph/graph.js';

export type CpuKernel = (inputs: Float32Array[], outputs: Float32Array[]) => void;

export type CpuKernelFactory<N extends Node = Node> = (node: N, inShapes: Shape[], outShapes: Shape[]) => CpuKernel;
