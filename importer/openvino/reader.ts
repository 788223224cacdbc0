// One layer as the mapping functions see it: typed <data> attributes with defaults, the declared
// port dims, and blobs checked against the shape the layer implies. Every error names the layer,
// the attribute or blob, what was expected and what was found.

import { formatShape, ModelError, sizeOf, type Shape, type Tensor } from '../../engine/graph/graph.js';
import { decodeBlob, isPrecision, PRECISIONS } from './blobs.js';
import { label, type IrLayer } from './xml.js';

export class LayerReader {
  private readonly read = new Set<string>();

  constructor(readonly layer: IrLayer, private readonly bin: Uint8Array, private readonly precision: string | undefined,
    private readonly file: string) {}

  fail(message: string): never {
    throw new ModelError(`${this.file}: ${label(this.layer)}: ${message}`);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.layer.data, name);
  }

  /** The attribute as written; without a fallback it is required. */
  string(name: string, fallback?: string): string {
    if (this.has(name)) return this.layer.data[name];
    return fallback ?? this.fail(`attribute '${name}' is missing`);
  }

  /** The table's entry for the attribute's value. */
  choice<T>(name: string, table: Record<string, T>, fallback?: string): T {
    const value = this.string(name, fallback);
    if (!Object.hasOwn(table, value)) this.fail(`attribute '${name}' expected one of ${Object.keys(table).join(', ')}, found '${value}'`);
    return table[value];
  }

  float(name: string, fallback?: number): number {
    return this.has(name) ? this.number(name, this.layer.data[name], 'a number') : fallback ?? this.fail(`attribute '${name}' is missing`);
  }

  int(name: string, fallback?: number): number {
    return this.has(name) ? this.number(name, this.layer.data[name], 'an integer') : fallback ?? this.fail(`attribute '${name}' is missing`);
  }

  /** A comma-separated list ('' is empty). */
  floats(name: string, fallback?: number[]): number[] {
    return this.list(name, 'numbers', fallback);
  }

  ints(name: string, fallback?: number[]): number[] {
    return this.list(name, 'integers', fallback);
  }

  bool(name: string, fallback: boolean): boolean {
    return this.choice(name, { true: true, false: false }, String(fallback));
  }

  /** An axis of input 0, negative counting from the end, normalised to be non-negative. */
  axis(name: string, fallback: number): number {
    const rank = this.input(0).length;
    const axis = this.int(name, fallback);
    if (axis < -rank || axis >= rank) this.fail(`attribute '${name}' expected an axis of the rank-${rank} input, found ${axis}`);
    return axis < 0 ? axis + rank : axis;
  }

  /** The declared dims of input port i (in declaration order). */
  input(i: number): Shape {
    return (this.layer.inputs[i] ?? this.fail(`expected at least ${i + 1} input port(s), found ${this.layer.inputs.length}`)).dims;
  }

  /** The number of channels (dim 1) of input 0. */
  channels(): number {
    const dims = this.input(0);
    if (dims.length < 2) this.fail(`expected an input with channels (rank >= 2), found ${formatShape(dims)}`);
    return dims[1];
  }

  blob(name: string, shape: Shape): Tensor {
    return this.optionalBlob(name, shape) ?? this.fail(`blob '${name}' is missing`);
  }

  optionalBlob(name: string, shape: Shape): Tensor | undefined {
    const blob = this.layer.blobs.find((b) => b.name === name);
    if (!blob) return undefined;
    this.read.add(name);
    const precision = this.precision;
    if (!isPrecision(precision)) {
      this.fail(`precision '${precision ?? '(none)'}' is not supported for blobs (supported: ${Object.keys(PRECISIONS).join(', ')})`);
    }
    const values = blob.size / PRECISIONS[precision].bytes;
    if (values !== sizeOf(shape)) {
      const found = Number.isInteger(values) ? `= ${values} values` : `(not a whole number of ${precision} values)`;
      this.fail(`${name} has ${blob.size} bytes ${found}, expected ${sizeOf(shape)} ${formatShape(shape)}`);
    }
    return { shape, data: decodeBlob(this.bin, blob, precision) };
  }

  /** Fails if the layer carries a blob its mapping did not read (it would be silently dropped). */
  checkBlobsRead(): void {
    const unread = this.layer.blobs.filter((b) => !this.read.has(b.name)).map((b) => b.name);
    if (unread.length > 0) this.fail(`blob(s) ${unread.join(', ')} are not used by a ${this.layer.type} layer`);
  }

  private number(name: string, text: string, expected: 'a number' | 'an integer'): number {
    const value = text.trim() === '' ? NaN : Number(text);
    if (!Number.isFinite(value) || (expected === 'an integer' && !Number.isInteger(value))) {
      this.fail(`attribute '${name}' expected ${expected}, found '${text}'`);
    }
    return value;
  }

  private list(name: string, expected: 'numbers' | 'integers', fallback?: number[]): number[] {
    if (!this.has(name)) return fallback ?? this.fail(`attribute '${name}' is missing`);
    const text = this.layer.data[name];
    if (text.trim() === '') return [];
    const single = expected === 'numbers' ? 'a number' : 'an integer';
    return text.split(',').map((item) => this.number(name, item, single));
  }
}
