// A .caffemodel: one binary NetParameter (protobuf wire format), decoded into the plain form of
// proto.ts. Fields our caffe.proto leaves out are skipped, so whole training nets decode.
// protobufjs checks every length against the bytes left before reading or allocating, so a
// truncated or random file fails here with the reader's offset, not later.
//
// The blobs' values are nearly all of the file. protobufjs would read each packed float into a
// JS array and toObject copy it again, number by number: here a packed run is read straight
// into a Float32Array (FloatReader) and the blobs' values go around toObject, taken out of the
// decoded messages before it and put back into the plain ones (which it gives in the same order).
//
// A run's floats are a view of the bytes where they start on a multiple of 4 (io/float32.ts);
// a run follows its field's tag and length, so most do not. When the bytes are the decoder's to
// change (`movable`: read from the file for it), a run is moved back onto a multiple of 4, over
// that tag and length (read already, and at least as long as the move), and viewed there: a
// model's weights are then never copied (fresh memory costs a fault per page on first touch).

import protobuf from 'protobufjs';
import { ModelError } from '../../engine/graph/graph.js';
import { float32s } from '../../io/float32.js';
import { caffeType, type Message } from './proto.js';

/** The repeated float fields of a BlobProto. */
const VALUES = ['data', 'double_data'] as const;

/**
 * protobufjs's reader, but a whole packed float run is read into a Float32Array, kept beside the
 * (empty) array protobufjs asked to fill. Anything else — an empty run, a run protobufjs would
 * refuse or read partly, a run into an array already filled — is left to protobufjs's own
 * `floats`, so errors and their byte offsets are protobufjs's.
 */
class FloatReader extends protobuf.Reader {
  readonly runs = new Map<number[], Float32Array>();
  /** Each run moved back by `by` bytes to `to`, with the bytes it wrote over (to undo the moves). */
  readonly moves: { to: number; by: number; bytes: number; over: Uint8Array }[] = [];

  constructor(bytes: Uint8Array, private readonly movable: boolean) {
    super(bytes);
  }

  override floats(array: number[] = []): number[] {
    const start = this.pos; // the run's length, then the run
    const bytes = (this as unknown as { size(): number }).size(); // the length protobufjs's floats() reads
    const end = this.pos + bytes;
    if (array.length > 0 || bytes === 0 || end > this.len || bytes % 4 !== 0) {
      this.pos = start;
      return super.floats(array);
    }
    let at = this.pos;
    const by = (this.buf.byteOffset + at) % 4;
    if (this.movable && by > 0 && by <= at - start + 1) { // the tag (1 byte at least) and the length lie just before
      const to = at - by;
      this.moves.push({ to, by, bytes, over: this.buf.slice(to, at) });
      this.buf.copyWithin(to, at, end);
      at = to;
    }
    this.runs.set(array, float32s(this.buf, at, bytes));
    this.pos = end;
    return array;
  }

  /** Puts the bytes back as they were read. */
  undoMoves(): void {
    for (const { to, by, bytes, over } of this.moves.reverse()) {
      this.buf.copyWithin(to + by, to, to + bytes);
      this.buf.set(over, to);
    }
  }
}

/** A NetParameter's layers (V2 `layer`, then V1 `layers`): of a decoded message or of its plain form. */
const layersOf = (net: Message) => [...(net.layer as Message[] | undefined ?? []), ...(net.layers as Message[] | undefined ?? [])];

/** The NetParameter in `bytes`. `movable`: the bytes are the decoder's to change (see above); its
 *  floats are views of them either way where aligned, so they must not change afterwards. */
export function decodeCaffemodel(bytes: Uint8Array, file: string, movable = false): Message {
  return decode(bytes, file, true, movable);
}

/** `fast`: through FloatReader; else protobufjs's own reader. */
function decode(bytes: Uint8Array, file: string, fast: boolean, movable = false): Message {
  const type = caffeType('NetParameter');
  const reader = fast ? new FloatReader(bytes, movable) : protobuf.Reader.create(bytes);
  const runs = reader instanceof FloatReader ? reader.runs : new Map<number[], Float32Array>();
  let decoded: protobuf.Message & Message;
  try {
    decoded = type.decode(reader) as protobuf.Message & Message;
  } catch (error) {
    const reason = (error as Error).message.replace(/ at offset \d+$/, '');
    throw new ModelError(`${file}: not a valid caffemodel (at byte offset ${reader.pos} of ${bytes.length}: ${reason})`);
  }
  let taken = 0;
  const values = layersOf(decoded).flatMap((layer) => ((layer.blobs as Message[] | undefined) ?? []).map((blob) =>
    VALUES.map((key) => {
      const numbers = blob[key] as number[];
      blob[key] = [];
      const run = runs.get(numbers);
      if (run) taken++;
      return run ?? (numbers.length > 0 ? Float32Array.from(numbers) : undefined);
    })));
  // A run protobufjs's decoder dropped (a blob with two runs of one field, which it would join): decode the plain way.
  if (taken !== runs.size) {
    if (reader instanceof FloatReader) reader.undoMoves();
    return decode(bytes, file, false);
  }
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
