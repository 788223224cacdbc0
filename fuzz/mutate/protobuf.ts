// Mutations of a binary caffemodel that keep it well-formed protobuf where they mean to: the
// fields of NetParameter, its layers, their blobs and the blobs' shapes are located (walking the
// wire format with an explicit stack), then one is duplicated, swapped with a sibling, given a
// huge length, or given interesting numbers (dims 0, negative, 2^31, just over each limit), and
// the enclosing messages' lengths are re-encoded to match.

import { concat, type Mutant } from './bytes.js';
import type { Random } from './random.js';
import { INTERESTING_INTEGERS } from './values.js';

interface Field {
  number: number;
  wire: number;
  /** Byte offsets: the tag, the length varint (length-delimited only), the payload, the end. */
  start: number;
  lengthAt: number;
  payload: number;
  end: number;
  /** Indices of the enclosing length-delimited fields, innermost last. */
  parents: number[];
  /** Which message the field belongs to. */
  owner: Kind;
}

type Kind = 'net' | 'layer' | 'blob' | 'shape';
/** The submessages walked into: NetParameter.layer (100) / layers (2) / input_shape (8), LayerParameter.blobs (7), BlobProto.shape (7). */
const CHILDREN: Record<Kind, Record<number, Kind>> = { net: { 100: 'layer', 2: 'layer', 8: 'shape' }, layer: { 7: 'blob' }, blob: { 7: 'shape' }, shape: {} };

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    value += (bytes[at + i] & 0x7f) * 2 ** (7 * i);
    if (!(bytes[at + i] & 0x80)) return [value, at + i + 1];
  }
  return undefined;
}

export function varint(value: bigint): Uint8Array {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Uint8Array.from(out);
}

/** Every field of the walked messages, outer before inner; stops quietly where the bytes stop making sense. */
function fields(bytes: Uint8Array): Field[] {
  const found: Field[] = [];
  const stack: { end: number; at: number; parents: number[]; kind: Kind }[] = [{ end: bytes.length, at: 0, parents: [], kind: 'net' }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const tag = frame.at < frame.end ? readVarint(bytes, frame.at) : undefined;
    if (!tag) {
      stack.pop();
      continue;
    }
    const [key, afterTag] = tag;
    const wire = key % 8;
    const number = Math.floor(key / 8);
    let lengthAt = -1;
    let payload = afterTag;
    let end: number;
    if (wire === 0) end = readVarint(bytes, afterTag)?.[1] ?? frame.end + 1;
    else if (wire === 1) end = afterTag + 8;
    else if (wire === 5) end = afterTag + 4;
    else if (wire === 2) {
      const length = readVarint(bytes, afterTag);
      lengthAt = afterTag;
      payload = length?.[1] ?? frame.end + 1;
      end = payload + (length?.[0] ?? 0);
    } else end = frame.end + 1;
    if (end > frame.end) {
      stack.pop();
      continue;
    }
    found.push({ number, wire, start: frame.at, lengthAt, payload, end, parents: frame.parents, owner: frame.kind });
    frame.at = end;
    const child = wire === 2 ? CHILDREN[frame.kind][number] : undefined;
    if (child) stack.push({ end, at: payload, parents: [...frame.parents, found.length - 1], kind: child });
  }
  return found;
}

/** `bytes` with [from, to) replaced by `replacement` and every enclosing length corrected. */
function replace(bytes: Uint8Array, all: Field[], field: Field, from: number, to: number, replacement: Uint8Array): Uint8Array {
  let out = concat([bytes.subarray(0, from), replacement, bytes.subarray(to)]);
  let delta = replacement.length - (to - from);
  for (const index of field.parents.slice().reverse()) {
    const parent = all[index];
    const newLength = varint(BigInt(parent.end - parent.payload + delta));
    out = concat([out.subarray(0, parent.lengthAt), newLength, out.subarray(parent.payload)]);
    delta += newLength.length - (parent.payload - parent.lengthAt);
  }
  return out;
}

/** One structure-aware mutation, or undefined when the bytes hold no field to mutate. */
export function mutateProtobuf(rng: Random, bytes: Uint8Array): Mutant | undefined {
  const all = fields(bytes);
  if (all.length === 0) return undefined;
  const field = rng.pick(all);
  const where = `field ${field.number} (in ${field.owner}) at ${field.start}`;
  switch (rng.int(4)) {
    case 0: {
      const times = rng.pick([1, 2, 50]);
      const copy = bytes.subarray(field.start, field.end);
      return { bytes: replace(bytes, all, field, field.end, field.end, concat(Array.from({ length: times }, () => copy))), how: `${where} duplicated ${times} time(s)` };
    }
    case 1: {
      const siblings = all.filter((f) => f.parents.length === field.parents.length && f.parents.at(-1) === field.parents.at(-1) && f.start > field.start);
      if (siblings.length === 0) return undefined;
      const other = rng.pick(siblings);
      const swapped = concat([bytes.subarray(other.start, other.end), bytes.subarray(field.end, other.start), bytes.subarray(field.start, field.end)]);
      return { bytes: concat([bytes.subarray(0, field.start), swapped, bytes.subarray(other.end)]), how: `${where} swapped with the field at ${other.start}` };
    }
    case 2: {
      if (field.wire !== 2) return undefined;
      const length = BigInt(rng.pick([2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53, field.end - field.payload + 1, -1]));
      return { bytes: concat([bytes.subarray(0, field.lengthAt), varint(length), bytes.subarray(field.payload)]), how: `${where}: length set to ${length}` };
    }
    default: {
      const values = Array.from({ length: rng.between(1, 4) }, () => BigInt(rng.pick(INTERESTING_INTEGERS)));
      // A varint field takes one value; a length-delimited one (packed dims, a name) takes the list packed.
      if (field.wire === 0) return { bytes: replace(bytes, all, field, field.payload, field.end, varint(values[0])), how: `${where} set to ${values[0]}` };
      if (field.wire !== 2) return undefined;
      const packed = concat(values.map(varint));
      return { bytes: replace(bytes, all, field, field.lengthAt, field.end, concat([varint(BigInt(packed.length)), packed])), how: `${where} packed as ${values.join(',')}` };
    }
  }
}
