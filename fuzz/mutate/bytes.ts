// Mutations that know nothing of the format: bit flips, interesting integers written over bytes,
// truncation, splices with another seed, slices duplicated, deleted or repeated many times.

import { concat } from '../../io/bytes.js';
import type { Random } from './random.js';

export { concat };
import { INTERESTING_INTEGERS } from './values.js';

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, for the replay line. */
  how: string;
}

export type ByteMutation = (rng: Random, bytes: Uint8Array, other: Uint8Array) => Mutant;

const flipBits: ByteMutation = (rng, bytes) => {
  const out = bytes.slice();
  const count = rng.between(1, 8);
  for (let i = 0; i < count && out.length > 0; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return { bytes: out, how: `flip ${count} bit(s)` };
};

const setBytes: ByteMutation = (rng, bytes) => {
  const out = bytes.slice();
  const count = rng.between(1, 6);
  for (let i = 0; i < count && out.length > 0; i++) out[rng.int(out.length)] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(256)]);
  return { bytes: out, how: `set ${count} byte(s)` };
};

const writeInteger: ByteMutation = (rng, bytes) => {
  const out = bytes.slice();
  const width = rng.pick([1, 2, 4, 8]);
  const at = rng.int(Math.max(1, out.length - width));
  const value = BigInt.asUintN(8 * width, BigInt(rng.pick(INTERESTING_INTEGERS)));
  const littleEndian = rng.chance(0.5);
  for (let i = 0; i < width && at + i < out.length; i++) {
    const shift = BigInt(8 * (littleEndian ? i : width - 1 - i));
    out[at + i] = Number((value >> shift) & 0xffn);
  }
  return { bytes: out, how: `write ${value} as ${width} byte(s) ${littleEndian ? 'LE' : 'BE'} at ${at}` };
};

const truncate: ByteMutation = (rng, bytes) => {
  const at = rng.int(bytes.length + 1);
  return { bytes: bytes.slice(0, at), how: `truncate at ${at}` };
};

const splice: ByteMutation = (rng, bytes, other) => {
  const a = rng.int(bytes.length + 1);
  const b = rng.int(other.length + 1);
  return { bytes: concat([bytes.subarray(0, a), other.subarray(b)]), how: `splice this[0, ${a}) + other[${b}, end)` };
};

const duplicateSlice: ByteMutation = (rng, bytes) => {
  const start = rng.int(bytes.length + 1);
  const end = Math.min(bytes.length, start + rng.between(1, 4096));
  const times = rng.pick([1, 2, 16, 1000]);
  const copies = Array.from({ length: times }, () => bytes.subarray(start, end));
  return { bytes: concat([bytes.subarray(0, end), ...copies, bytes.subarray(end)]), how: `repeat [${start}, ${end}) ${times} more time(s)` };
};

const deleteSlice: ByteMutation = (rng, bytes) => {
  const start = rng.int(bytes.length + 1);
  const end = Math.min(bytes.length, start + rng.between(1, 256));
  return { bytes: concat([bytes.subarray(0, start), bytes.subarray(end)]), how: `delete [${start}, ${end})` };
};

export const BYTE_MUTATIONS: readonly ByteMutation[] = [flipBits, setBytes, writeInteger, truncate, splice, duplicateSlice, deleteSlice];

/** One generic mutation of `bytes` (`other`: another seed to splice from). */
export function mutateBytes(rng: Random, bytes: Uint8Array, other: Uint8Array): Mutant {
  return rng.pick(BYTE_MUTATIONS)(rng, bytes, other);
}
