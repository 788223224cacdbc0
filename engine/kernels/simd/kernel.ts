// The contract every SIMD kernel meets. A factory takes a kernel node (lower/kernel-node.ts: its
// variant's canonical parameters, its shapes, the floats of scratch it may use) at plan time and
// returns the kernel: the constants it needs in memory (weights, biases) and `emit`, which writes
// the body of a function `() => void` specialised to where everything lives. A factory takes every
// node of its variant (the lowering decides what a variant covers); a variant without a factory
// runs on its CPU kernel, reported as a fallback.
//
// Addresses are byte addresses in the backend's one WebAssembly.Memory; each value is dense
// f32 in row-major (NCHW) order at its address. Code may read up to GUARD bytes beyond either
// end of any value (the backend keeps that much room at both ends of memory) and discards
// what it read there; it writes exactly its outputs' elements and its scratch.

import type { KernelOf, Variant } from '../../lower/kernel-node.js';
import { get, i32, type Expr, type FunctionBuilder, type Local } from '../../wasm/instructions.js';

export const GUARD = 64;

export interface Placement {
  /** Byte address of each input value. */
  inputs: number[];
  /** Byte address of each output value. */
  outputs: number[];
  /** Byte address of this kernel's constants (16-byte aligned). */
  constants: number;
  /** Byte address of the node's `scratch` floats (16-byte aligned; shared, so only valid during the run). */
  scratch: number;
}

export interface SimdKernel {
  /** Placed in memory one after the other, before the first run: weights, biases, slopes, tables
   *  (parts, so that a layer's arrays are placed as they are, not first copied into one per shape). */
  constants: Float32Array[];
  /** The statements of the function that runs the node. */
  emit(fn: FunctionBuilder, at: Placement): Expr[];
}

export type SimdKernelFactory<V extends Variant = Variant> = (k: KernelOf<V>) => SimdKernel;

/** Byte address of image n (a local) of a batch at `base`: base + n·imageBytes. */
export const imageAt = (base: number, n: Local, imageBytes: number): Expr =>
  i32.add(i32.const(base), i32.mul(get(n), i32.const(imageBytes)));
