import { describe, expect, it } from 'vitest';
import { float32s } from '../io/float32.js';

describe('float32s', () => {
  const values = [1.5, -0, Number.NEGATIVE_INFINITY, 3.4028234663852886e38, 1e-45, -7.25];
  /** `values` stored little-endian at byte `at` of a view that starts 1 byte into its buffer. */
  const stored = (at: number) => {
    const bytes = new Uint8Array(1 + at + 4 * values.length + 2);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(1 + at + 4 * i, v, true));
    return { within: bytes.subarray(1), view };
  };

  it('reads little-endian floats from an unaligned offset of a view into an array of their own', () => {
    const { within, view } = stored(2);
    const got = float32s(within, 2, 4 * values.length);
    expect(Array.from(got)).toEqual(values.map(Math.fround));
    got[0] = 99;
    expect(view.getFloat32(3, true)).toBe(1.5); // a copy
  });

  it('gives a view of the bytes, no copy, where they start on a multiple of 4 (an OpenVINO .bin\'s blobs)', () => {
    const { within, view } = stored(3); // byte 4 of the buffer
    const got = float32s(within, 3, 4 * values.length);
    expect(Array.from(got)).toEqual(values.map(Math.fround));
    expect(got.buffer).toBe(within.buffer);
    expect(got.byteOffset).toBe(4);
    view.setFloat32(4, 2.5, true);
    expect(got[0]).toBe(2.5);
  });
});
