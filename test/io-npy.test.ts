import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNpy, NpyError, parseNpy, readNpy, writeNpy } from '../io/npy.js';

/** np.save of np.array([1.5, -2.0, 3.25], dtype='<f4') (NumPy 2.4, format 1.0). */
const NUMPY_V1 = Buffer.from(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAUEA=',
  'base64',
);
/** np.lib.format.write_array of np.arange(6, dtype='<f4').reshape(2, 3) with version=(2, 0). */
const NUMPY_V2 = Buffer.from(
  'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBAAACAQAAAoEA=',
  'base64',
);

/** A version 1.0 .npy file with the given header dict and data bytes (no padding). */
function npy(dict: string, dataBytes: number): Uint8Array {
  const header = new TextEncoder().encode(`${dict}\n`);
  const file = new Uint8Array(10 + header.length + dataBytes);
  file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(file.buffer).setUint16(8, header.length, true);
  file.set(header, 10);
  return file;
}

function expectNpyError(parse: () => unknown, message: string): void {
  expect(parse).toThrow(NpyError);
  expect(parse).toThrow(message);
}

describe('npy round trip', () => {
  for (const shape of [[], [3], [2, 3, 4, 5], [0, 4]]) {
    it(`shape [${shape}]`, () => {
      const count = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: count }, (_, i) => i * 0.5 - 7);
      const file = formatNpy(shape, data);
      const headerEnd = 10 + new DataView(file.buffer).getUint16(8, true);
      expect(headerEnd % 64).toBe(0);
      expect(file[headerEnd - 1]).toBe(0x0a);
      expect(parseNpy(file)).toEqual({ shape, data });
    });
  }

  it('writes the bytes np.save writes', () => {
    expect(Buffer.from(formatNpy([3], new Float32Array([1.5, -2, 3.25])))).toEqual(NUMPY_V1);
  });

  it('writes from a Float32Array that is a view into a larger buffer', () => {
    const data = new Float32Array([9, 1.5, -2, 3.25, 9]).subarray(1, 4);
    expect(Buffer.from(formatNpy([3], data))).toEqual(NUMPY_V1);
  });

  it('readNpy and writeNpy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facereid-npy-'));
    try {
      const data = new Float32Array([1, 2, 3, 4, 5, 6]);
      writeNpy(join(dir, 'x.npy'), [2, 3], data);
      expect(readNpy(join(dir, 'x.npy'))).toEqual({ shape: [2, 3], data });
      expect(() => readNpy(join(dir, 'missing.npy'))).toThrow(`cannot read npy file ${join(dir, 'missing.npy')}: no such file`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('parseNpy on NumPy files', () => {
  it('format 1.0', () => {
    expect(parseNpy(NUMPY_V1)).toEqual({ shape: [3], data: new Float32Array([1.5, -2, 3.25]) });
  });

  it('format 2.0 (4-byte header length), and 3.0 (the same with a UTF-8 header)', () => {
    const expected = { shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) };
    expect(parseNpy(NUMPY_V2)).toEqual(expected);
    const v3 = new Uint8Array(NUMPY_V2);
    v3[6] = 3;
    expect(parseNpy(v3)).toEqual(expected);
  });

  it('a header with double quotes and another key order', () => {
    const file = npy('{"shape": (2,), "fortran_order": False, "descr": "<f4"}', 8);
    expect(parseNpy(file).shape).toEqual([2]);
  });
});

describe('parseNpy refusals', () => {
  for (const dtype of ['<f8', '<i4', '>f4', '<i8']) {
    it(`dtype '${dtype}'`, () => {
      const file = npy(`{'descr': '${dtype}', 'fortran_order': False, 'shape': (2,), }`, 16);
      expectNpyError(() => parseNpy(file, 'x.npy'), `x.npy: dtype '${dtype}' is not supported (need '<f4' float32)`);
    });
  }

  it('fortran_order True', () => {
    const file = npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24);
    expectNpyError(() => parseNpy(file, 'f.npy'), 'f.npy: fortran_order True is not supported (need C order)');
  });

  it('truncated data, and extra data', () => {
    expectNpyError(
      () => parseNpy(NUMPY_V1.subarray(0, NUMPY_V1.length - 4), 't.npy'),
      't.npy: shape (3,) needs 12 bytes of float32 data, the file holds 8',
    );
    expectNpyError(() => parseNpy(Buffer.concat([NUMPY_V1, Buffer.alloc(4)]), 'e.npy'), 'the file holds 16');
  });

  it('a truncated header', () => {
    expectNpyError(() => parseNpy(NUMPY_V1.subarray(0, 40), 'h.npy'), 'h.npy: truncated .npy file: its header runs to byte 128, the file has 40');
  });

  it('an absurd shape, refused before allocating', () => {
    const file = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }", 16);
    expectNpyError(() => parseNpy(file, 'big.npy'), 'big.npy: shape (1000000000, 1000000000) needs 4000000000000000000 bytes');
  });

  it('not a .npy file, an unknown version, a malformed header', () => {
    expectNpyError(() => parseNpy(new TextEncoder().encode('hello, world'), 'a.txt'), 'a.txt: not a .npy file');
    const v4 = new Uint8Array(NUMPY_V1);
    v4[6] = 4;
    expectNpyError(() => parseNpy(v4, 'v4.npy'), 'v4.npy: .npy format version 4.0 is not supported (need 1.0, 2.0 or 3.0)');
    expectNpyError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False}", 4)), "malformed .npy header \"{'descr': '<f4', 'fortran_order': False}\"");
    expectNpyError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", 4)), 'malformed .npy shape (2, -1)');
  });
});

describe('formatNpy refusals', () => {
  it('data that does not fill the shape, and a bad shape', () => {
    expectNpyError(() => formatNpy([2, 3], new Float32Array(5)), 'formatNpy: shape (2, 3) holds 6 values, data has 5');
    expectNpyError(() => formatNpy([2, 1.5], new Float32Array(3)), 'formatNpy: shape [2, 1.5] is not a list of non-negative integers');
  });
});
