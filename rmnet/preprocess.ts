// The network's input from a photo: the WHOLE image resized to size x size by bilinear
// interpolation with pixel-centre alignment, as OpenCV's INTER_LINEAR does, but computed in plain
// float where OpenCV rounds to uint8; laid out NCHW as planes R, G, B holding 0..255 (not
// normalised: the net normalises inside). Alpha is ignored.

import type { Pixels } from '../io/image.js';

/** The [1, 3, size, size] input tensor for one image. */
export function resizeToTensor(pixels: Pixels, size = 128): Float32Array {
  const tensor = new Float32Array(3 * size * size);
  resizeInto(pixels, tensor, 0, size);
  return tensor;
}

/**
 * Writes one image's 3 x size x size planes into `target` from element `offset`: batch item n of
 * an [N, 3, size, size] tensor starts at n * 3 * size * size.
 */
export function resizeInto(pixels: Pixels, target: Float32Array, offset: number, size = 128): void {
  const { width, height, channels, data } = pixels;
  const samples = width * height * channels;
  if (data.length !== samples) {
    throw new RangeError(`resizeInto: ${width}x${height}x${channels} pixels need ${samples} samples, got ${data.length}`);
  }
  const planeSize = size * size;
  if (!Number.isInteger(offset) || offset < 0 || offset + 3 * planeSize > target.length) {
    throw new RangeError(`resizeInto: 3x${size}x${size} values from offset ${offset} overrun a tensor of ${target.length}`);
  }
  const columns = bilinearTaps(width, size);
  const rows = bilinearTaps(height, size);
  for (let y = 0; y < size; y++) {
    const top = rows.near[y] * width;
    const bottom = rows.far[y] * width;
    const fy = rows.farWeight[y];
    for (let x = 0; x < size; x++) {
      const fx = columns.farWeight[x];
      const topLeft = (top + columns.near[x]) * channels;
      const topRight = (top + columns.far[x]) * channels;
      const bottomLeft = (bottom + columns.near[x]) * channels;
      const bottomRight = (bottom + columns.far[x]) * channels;
      for (let c = 0; c < 3; c++) {
        const upper = (1 - fx) * data[topLeft + c] + fx * data[topRight + c];
        const lower = (1 - fx) * data[bottomLeft + c] + fx * data[bottomRight + c];
        target[offset + c * planeSize + y * size + x] = (1 - fy) * upper + fy * lower;
      }
    }
  }
}

/**
 * For each output coordinate d along one axis: the source coordinate s = (d + 0.5) * (srcSize /
 * dstSize) - 0.5, clamped to 0 below; it blends source samples near = floor(s) and
 * far = min(near + 1, srcSize - 1), the far one with weight s - near.
 */
function bilinearTaps(srcSize: number, dstSize: number) {
  const scale = srcSize / dstSize;
  const near = new Int32Array(dstSize);
  const far = new Int32Array(dstSize);
  const farWeight = new Float64Array(dstSize);
  for (let d = 0; d < dstSize; d++) {
    const s = Math.max((d + 0.5) * scale - 0.5, 0);
    near[d] = Math.floor(s);
    far[d] = Math.min(near[d] + 1, srcSize - 1);
    farWeight[d] = s - near[d];
  }
  return { near, far, farWeight };
}
