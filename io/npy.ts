// NumPy's .npy format (numpy.lib.format), for the one dtype the engine's tensors use: float32,
// little-endian, C order. Reads format versions 1.0, 2.0 and 3.0; writes 1.0 as np.save does.
//
// Layout: "\x93NUMPY", major and minor version bytes, the header length (uint16 LE in 1.0,
// uint32 LE in 2.0 and 3.0), the header (a Python dict literal such as
// "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" padded with spaces and a final
// '\n' so that the data starts on a multiple of 64 bytes), then the raw data.

import { writeFileSync } from 'node:fs';
import { readFileBytes } from './read-file.js';

/** A .npy file that cannot be read, or an array that cannot be written as one. */
export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const DTYPE = '<f4';

/** Parses a float32 .npy file; `name` (a path, say) starts every error message. */
export function parseNpy(bytes: Uint8Array, name = 'npy data'): NpyArray {
  if (bytes.length < 8 || !MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new NpyError(`${name}: not a .npy file (it does not start with \\x93NUMPY)`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) {
    throw new NpyError(`${name}: .npy format version ${major}.${bytes[7]} is not supported (need 1.0, 2.0 or 3.0)`);
  }
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new NpyError(`${name}: truncated .npy file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataStart = headerStart + (major === 1 ? view.getUint16(8, true) : view.getUint32(8, true));
  if (dataStart > bytes.length) {
    throw new NpyError(`${name}: truncated .npy file: its header runs to byte ${dataStart}, the file has ${bytes.length}`);
  }
  // Version 1.0 and 2.0 headers are latin-1, 3.0 UTF-8; both are ASCII in every file we accept.
  const header = new TextDecoder().decode(bytes.subarray(headerStart, dataStart));
  const { dtype, fortranOrder, shape } = parseHeader(header, name);
  if (dtype !== DTYPE) throw new NpyError(`${name}: dtype '${oneLine(dtype)}' is not supported (need '${DTYPE}' float32)`);
  if (fortranOrder) throw new NpyError(`${name}: fortran_order True is not supported (need C order)`);
  const needed = 4 * shape.reduce((count, dim) => count * dim, 1);
  const held = bytes.length - dataStart;
  if (held !== needed) {
    throw new NpyError(`${name}: shape ${pythonTuple(shape)} needs ${needed} bytes of float32 data, the file holds ${held}`);
  }
  // Copied (not Buffer's sharing slice) so the floats are aligned and own their buffer; read in
  // the host's byte order, which is little-endian everywhere JS runs.
  return { shape, data: new Float32Array(new Uint8Array(bytes.subarray(dataStart)).buffer) };
}

/** The fields of a header dict; NumPy writes single quotes, others may write double. */
function parseHeader(header: string, name: string): { dtype: string; fortranOrder: boolean; shape: number[] } {
  const dtype = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortranOrder = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (dtype === undefined || fortranOrder === undefined || shape === undefined) {
    throw new NpyError(`${name}: malformed .npy header "${oneLine(header.trim())}" (need 'descr', 'fortran_order' and 'shape')`);
  }
  const dims = shape.split(',').map((dim) => dim.trim()).filter((dim) => dim !== '');
  if (!dims.every((dim) => /^\d+$/.test(dim))) {
    throw new NpyError(`${name}: malformed .npy shape (${oneLine(shape)}) (need non-negative integers)`);
  }
  return { dtype, fortranOrder: fortranOrder === 'True', shape: dims.map(Number) };
}

/** A .npy file (format 1.0, as np.save writes it) holding `data` with `shape`. */
export function formatNpy(shape: number[], data: Float32Array): Uint8Array {
  if (!shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new NpyError(`formatNpy: shape [${shape.join(', ')}] is not a list of non-negative integers`);
  }
  const count = shape.reduce((product, dim) => product * dim, 1);
  if (count !== data.length) {
    throw new NpyError(`formatNpy: shape ${pythonTuple(shape)} holds ${count} values, data has ${data.length}`);
  }
  const dict = `{'descr': '${DTYPE}', 'fortran_order': False, 'shape': ${pythonTuple(shape)}, }`;
  const padding = (64 - ((10 + dict.length + 1) % 64)) % 64;
  const header = new TextEncoder().encode(dict + ' '.repeat(padding) + '\n');
  const file = new Uint8Array(10 + header.length + data.byteLength);
  file.set(MAGIC);
  file[6] = 1;
  new DataView(file.buffer).setUint16(8, header.length, true);
  file.set(header, 10);
  file.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return file;
}

/** Text from the file as a message shows it: control characters escaped, at most 200 characters. */
function oneLine(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text).slice(1, -1);
}

/** A shape as Python writes a tuple: (), (3,), (2, 3). */
function pythonTuple(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Reads a float32 .npy file (Node only). */
export function readNpy(path: string): NpyArray {
  return parseNpy(readFileBytes(path, 'npy file'), path);
}

/** Writes `data` with `shape` as a .npy file (Node only). */
export function writeNpy(path: string, shape: number[], data: Float32Array): void {
  writeFileSync(path, formatNpy(shape, data));
}
