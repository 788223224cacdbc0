// The .bin: the layers' constant tensors as raw little-endian values, each located by the byte
// offset and size its layer's <blobs> gives. Ranges are checked before any tensor is allocated.

import { ModelError } from '../../engine/graph/graph.js';
import { float32s } from '../../io/float32.js';
import { halfToFloat } from './half.js';
import { label, type IrBlob, type IrNet } from './xml.js';

export const PRECISIONS = {
  FP32: { bytes: 4, read: (view: DataView, i: number) => view.getFloat32(i * 4, true) },
  FP16: { bytes: 2, read: (view: DataView, i: number) => halfToFloat(view.getUint16(i * 2, true)) },
};

export type Precision = keyof typeof PRECISIONS;

export function isPrecision(name: string | undefined): name is Precision {
  return name !== undefined && Object.hasOwn(PRECISIONS, name);
}

/**
 * Throws if any layer's blob reaches past the end of the .bin, or if the blobs together claim more
 * bytes than the .bin holds (a .bin lays its blobs end to end; ranges claimed over and over would
 * decode a small file into any number of tensors).
 */
export function checkBlobRanges(net: IrNet, binLength: number, file: string, binName: string): void {
  let total = 0;
  for (const layer of net.layers) {
    for (const blob of layer.blobs) {
      if (blob.offset + blob.size > binLength) {
        throw new ModelError(`${file}: ${label(layer)}: blob '${blob.name}' (offset ${blob.offset}, size ${blob.size}) lies outside ${binName} (${binLength} bytes)`);
      }
      total += blob.size;
      if (total > binLength) {
        throw new ModelError(`${file}: ${label(layer)}: blob '${blob.name}' brings the blobs' sizes to ${total} bytes, more than ${binName} holds (${binLength} bytes)`);
      }
    }
  }
}

/** The blob's values as float32; its range must have been checked. */
export function decodeBlob(bin: Uint8Array, blob: IrBlob, precision: Precision): Float32Array {
  if (precision === 'FP32' && blob.size % 4 === 0) return float32s(bin, blob.offset, blob.size);
  const { bytes, read } = PRECISIONS[precision];
  const view = new DataView(bin.buffer, bin.byteOffset + blob.offset, blob.size);
  const values = new Float32Array(blob.size / bytes);
  for (let i = 0; i < values.length; i++) values[i] = read(view, i);
  return values;
}
