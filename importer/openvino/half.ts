// IEEE 754 half precision (binary16): 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
// Every half is exactly representable as a float32, so decoding loses nothing.

/** The value of one half-precision bit pattern (0..0xffff): subnormals, ±0, ±inf and NaN included. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (0x400 + fraction) * 2 ** (exponent - 25);
}
