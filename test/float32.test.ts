import { describe, expect, it } from 'vitest';
import { float32s } from '../io/float32.js';

describe('float32s', () => {
  it('reads little-endian floats from any byte offset of a view into an array of their own', () => {
    const values = [1.5, -0, Number.NEGATIVE_INFINITY, 3.4028234663852886e38, 1e-45, -7.25];
    const bytes = new Uint8Array(3 + 4 * values.length + 2);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(3 + 4 * i, v, true));
    const within = bytes.subarray(1); // a view that does not start at its buffer's start
    const got = float32s(within, 2, 4 * values.length);
    expect(Array.from(got)).toEqual(values.map(Math.fround));
    got[0] = 99;
    expect(view.getFloat32(3, true)).toBe(1.5); // a copy, not a view
  });
});
