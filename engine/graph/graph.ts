// The graph every importer produces and every pass, planner and backend consumes.
// Plain data: no file-format objects live here (they stay inside importer/).
//
// Layout: every tensor is dense, row-major (C order); image tensors are NCHW.
// Values are addressed by name; each value has exactly one producer (a node, or the
// graph's inputs), so an importer must rename in-place outputs (Caffe's `top == bottom`).

import type { Op } from './ops.js';

export type Shape = number[];

/** A constant tensor: weights, biases, statistics. */
export interface Tensor {
  shape: Shape;
  data: Float32Array;
}

/** A node: one op applied to named input values, producing named output values. */
export type Node = Op & {
  /** Unique within the graph; the importer's layer name. */
  name: string;
  inputs: string[];
  outputs: string[];
};

export interface Graph {
  /** Model name, for messages. */
  name: string;
  /** Graph inputs with their declared shapes (batch first). */
  inputs: { name: string; shape: Shape }[];
  /** Names of the values the caller gets back. */
  outputs: string[];
  /** Nodes in a topological order (every input is produced before it is read). */
  nodes: Node[];
}

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** An error about a model, naming where it is. Everything the engine throws on bad models is one. */
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}
