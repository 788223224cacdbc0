// Little-endian float32 values (IEEE 754 binary32, the byte order of a .caffemodel's packed
// floats and of an OpenVINO .bin) read out of a byte range into a fresh array of their own.

/** Whether this machine stores numbers little-endian (then the bytes are copied as they are). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The `byteLength / 4` floats stored from `bytes[start]` on (one copy; `byteLength` a multiple of 4, the range inside `bytes`). */
export function float32s(bytes: Uint8Array, start: number, byteLength: number): Float32Array {
  const from = bytes.byteOffset + start;
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer.slice(from, from + byteLength));
  const view = new DataView(bytes.buffer, from, byteLength);
  const values = new Float32Array(byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
  return values;
}
