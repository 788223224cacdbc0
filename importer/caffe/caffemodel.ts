// A .caffemodel: one binary NetParameter (protobuf wire format), decoded into the plain form of
// proto.ts. Fields our caffe.proto leaves out are skipped, so whole training nets decode.
// protobufjs checks every length against the bytes left before reading or allocating, so a
// truncated or random file fails here with the reader's offset, not later.

import protobuf from 'protobufjs';
import { ModelError } from '../../engine/graph/graph.js';
import { caffeType, type Message } from './proto.js';

export function decodeCaffemodel(bytes: Uint8Array, file: string): Message {
  const type = caffeType('NetParameter');
  const reader = protobuf.Reader.create(bytes);
  let decoded: protobuf.Message;
  try {
    decoded = type.decode(reader);
  } catch (error) {
    const reason = (error as Error).message.replace(/ at offset \d+$/, '');
    throw new ModelError(`${file}: not a valid caffemodel (at byte offset ${reader.pos} of ${bytes.length}: ${reason})`);
  }
  const net: Message = type.toObject(decoded, { longs: Number, enums: String });
  const layers = [...(net.layer as Message[] | undefined ?? []), ...(net.layers as Message[] | undefined ?? [])];
  if (layers.length === 0) throw new ModelError(`${file}: not a valid caffemodel (no layers in ${bytes.length} bytes)`);
  for (const layer of layers) {
    for (const blob of (layer.blobs as Message[] | undefined) ?? []) {
      for (const key of ['data', 'double_data']) {
        if (blob[key]) blob[key] = Float32Array.from(blob[key] as number[]);
      }
    }
  }
  return net;
}
