// A .caffemodel: one binary NetParameter (protobuf wire format), decoded into the plain form of
// proto.ts. Fields our caffe.proto leaves out are skipped, so whole training nets decode.
// protobufjs checks every length against the bytes left before reading or allocating, so a
// truncated or random file fails here with the reader's offset, not later.
//
// The blobs' values (nearly all of the file) do not go through protobufjs's toObject, which
// copies them number by number: they are taken out of the decoded messages as Float32Arrays
// and put back into the plain ones, which toObject gives in the same order.

import protobuf from 'protobufjs';
import { ModelError } from '../../engine/graph/graph.js';
import { caffeType, type Message } from './proto.js';

/** The repeated float fields of a BlobProto. */
const VALUES = ['data', 'double_data'] as const;

/** A NetParameter's layers (V2 `layer`, then V1 `layers`): of a decoded message or of its plain form. */
const layersOf = (net: Message) => [...(net.layer as Message[] | undefined ?? []), ...(net.layers as Message[] | undefined ?? [])];

export function decodeCaffemodel(bytes: Uint8Array, file: string): Message {
  const type = caffeType('NetParameter');
  const reader = protobuf.Reader.create(bytes);
  let decoded: protobuf.Message & Message;
  try {
    decoded = type.decode(reader) as protobuf.Message & Message;
  } catch (error) {
    const reason = (error as Error).message.replace(/ at offset \d+$/, '');
    throw new ModelError(`${file}: not a valid caffemodel (at byte offset ${reader.pos} of ${bytes.length}: ${reason})`);
  }
  const values = layersOf(decoded).flatMap((layer) => ((layer.blobs as Message[] | undefined) ?? []).map((blob) =>
    VALUES.map((key) => {
      const numbers = blob[key] as number[];
      blob[key] = [];
      return numbers.length > 0 ? Float32Array.from(numbers) : undefined;
    })));
  const net: Message = type.toObject(decoded, { longs: Number, enums: String });
  const layers = layersOf(net);
  if (layers.length === 0) throw new ModelError(`${file}: not a valid caffemodel (no layers in ${bytes.length} bytes)`);
  let next = 0;
  for (const layer of layers) {
    for (const blob of (layer.blobs as Message[] | undefined) ?? []) {
      values[next++].forEach((data, i) => { if (data) blob[VALUES[i]] = data; });
    }
  }
  return net;
}
