// Every limit facereid applies to what a file declares, in one table. Each is checked before
// anything is allocated for it, so a small file that declares a huge tensor, a million layers or
// a 1 GiB image is refused in milliseconds with a message naming the file, the place, the limit
// and how to raise it. Callers that need more pass `{ limits: { name: value } }` (loadModel,
// compile, decodeImage) or `--limit name=value` (`facereid run`).

import { formatShape, ModelError, sizeOf, type Graph, type Shape } from './graph/graph.js';

export interface Limits {
  /** Elements in one tensor: a declared or inferred activation, an input, a weight. */
  tensorElements: number;
  /** Bytes of the activation arena one compiled net allocates (float32, every live value). */
  arenaBytes: number;
  /** Layers in one model file. */
  layers: number;
  /** Nesting depth of a prototxt's messages or an IR .xml's elements. */
  nesting: number;
  /** Characters in one name or attribute of a model file (layer, blob, type names; IR attributes). */
  stringLength: number;
  /** Pixels of one image, width x height (RGBA at the default is 400 MB). */
  imagePixels: number;
  /** Pixels along either side of an image. */
  imageSide: number;
  /** Bytes of one gallery file, read or written (about 160,000 embeddings of 128 numbers). */
  galleryBytes: number;
}

export type LimitName = keyof Limits;

/** The table: each limit's default, and how a message counts what it bounds. */
export const LIMITS: { [K in LimitName]: { default: number; unit: string; scope: string } } = {
  tensorElements: { default: 2 ** 28, unit: 'elements', scope: 'per tensor' },
  arenaBytes: { default: 2 ** 31, unit: 'bytes', scope: 'of activations per compiled net' },
  layers: { default: 10_000, unit: 'layers', scope: 'per model file' },
  nesting: { default: 64, unit: 'levels', scope: 'of nesting' },
  stringLength: { default: 4096, unit: 'characters', scope: 'per name or attribute' },
  imagePixels: { default: 100_000_000, unit: 'pixels', scope: 'per image' },
  imageSide: { default: 16384, unit: 'pixels', scope: 'per image side' },
  galleryBytes: { default: 256 * 1024 * 1024, unit: 'bytes', scope: 'per gallery file' },
};

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(
  Object.fromEntries(Object.entries(LIMITS).map(([name, row]) => [name, row.default])) as unknown as Limits,
);

/** The defaults with `overrides` applied; each override must name a limit and be a positive number. */
export function limitsWith(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(LIMITS, name)) throw new RangeError(`unknown limit '${name}' (limits: ${Object.keys(LIMITS).join(', ')})`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`limit ${name} must be a positive number, got ${String(value)}`);
    limits[name as LimitName] = value;
  }
  return limits;
}

/**
 * Throws `error(message)` when `found` is over `limits[name]`. `what` names the file and the thing
 * counted: "net.prototxt: layer 'conv1' (Convolution): top 'conv1' [1,10,5998,5998]".
 */
export function checkLimit(limits: Limits, name: LimitName, found: number, what: string,
  error: (message: string) => Error = (message) => new ModelError(message)): void {
  const limit = limits[name];
  if (!(found <= limit)) {
    const { unit, scope } = LIMITS[name];
    throw error(`${what} (${found} ${unit}), over the limit of ${limit} ${unit} ${scope} (limits.${name}, which can be raised)`);
  }
}

/** Every input and every node output of `graph`, shaped by `shapes`, within limits.tensorElements. */
export function checkValueSizes(graph: Graph, shapes: Map<string, Shape>, limits: Limits): void {
  for (const input of graph.inputs) {
    const shape = shapes.get(input.name)!;
    checkLimit(limits, 'tensorElements', sizeOf(shape), `${graph.name}: input '${input.name}' ${formatShape(shape)}`);
  }
  for (const node of graph.nodes) {
    for (const value of node.outputs) {
      const shape = shapes.get(value)!;
      checkLimit(limits, 'tensorElements', sizeOf(shape), `${graph.name}: layer '${node.name}' (${node.op}): output '${value}' ${formatShape(shape)}`);
    }
  }
}
