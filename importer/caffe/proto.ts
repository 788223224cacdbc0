// Caffe's message types (our subset of caffe.proto, parsed once on first use) and the one form
// both readers give them in, so one mapper reads prototxt and caffemodel alike.

import protobuf from 'protobufjs';
import { CAFFE_PROTO } from './caffe-proto.js';

/** A message as plain data: only the fields present; enums as their value names; integers
 *  (64-bit too) as numbers; repeated fields as arrays (blob data: Float32Array). */
export interface Message {
  [field: string]: unknown;
}

let root: protobuf.Root | undefined;

/** The reflected type `caffe.<name>` from caffe.proto. */
export function caffeType(name: string): protobuf.Type {
  root ??= protobuf.parse(CAFFE_PROTO, { keepCase: true }).root;
  return root.lookupType(`caffe.${name}`);
}

/** Reads a message's fields by name, falling back to the defaults caffe.proto declares. */
export class Fields {
  constructor(private readonly type: protobuf.Type, private readonly values: Message = {}) {}

  has(name: string): boolean {
    this.field(name);
    return this.values[name] !== undefined;
  }

  number(name: string): number {
    return this.value(name) as number;
  }

  bool(name: string): boolean {
    return this.value(name) as boolean;
  }

  /** A string field, or an enum field's value name. */
  string(name: string): string {
    return this.value(name) as string;
  }

  /** A repeated number field, or a single one as a list of one. */
  numbers(name: string): number[] {
    const value = this.value(name) as number | ArrayLike<number>;
    return typeof value === 'number' ? [value] : Array.from(value);
  }

  strings(name: string): string[] {
    return this.value(name) as string[];
  }

  messages(name: string): Fields[] {
    const type = this.field(name).resolvedType as protobuf.Type;
    return (this.value(name) as Message[]).map((m) => new Fields(type, m));
  }

  /** A message field; an absent one reads as all defaults. */
  message(name: string): Fields {
    return new Fields(this.field(name).resolvedType as protobuf.Type, this.value(name) as Message);
  }

  private field(name: string): protobuf.Field {
    const field = this.type.fields[name];
    if (!field) throw new Error(`caffe.proto: ${this.type.name} has no field '${name}'`); // a bug here, not in a model
    return field.resolve();
  }

  private value(name: string): unknown {
    const field = this.field(name);
    const present = this.values[name];
    if (present !== undefined) return present;
    if (field.repeated) return [];
    if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.valuesById[field.typeDefault as number];
    if (field.resolvedType instanceof protobuf.Type) return {};
    return field.type === 'float' ? Math.fround(field.typeDefault as number) : field.typeDefault; // as Caffe's C++ float
  }
}
