// Little-endian float32 values (IEEE 754 binary32, the byte order of a .caffemodel's packed
// floats and of an OpenVINO .bin) in a byte range, as a Float32Array: a view of the bytes where
// this machine is little-endian and the range starts on a multiple of 4 (an OpenVINO .bin's
// blobs do), else a copy. A view costs nothing; a copy of a model's weights is fresh memory,
// whose first touch is the cost here (~2.5 ms per MB on a VM; bench/NOTES.md §23). So the
// bytes must not change afterwards: the importers read each file into bytes of their own, and
// say so of the bytes their callers hand them.

/** Whether this machine stores numbers little-endian (then the bytes are viewed or copied as they are). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The `byteLength / 4` floats stored from `bytes[start]` on (`byteLength` a multiple of 4, the range inside `bytes`). */
export function float32s(bytes: Uint8Array, start: number, byteLength: number): Float32Array {
  const from = bytes.byteOffset + start;
  if (LITTLE_ENDIAN && from % 4 === 0) return new Float32Array(bytes.buffer, from, byteLength / 4);
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer.slice(from, from + byteLength));
  const view = new DataView(bytes.buffer, from, byteLength);
  const values = new Float32Array(byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
  return values;
}
