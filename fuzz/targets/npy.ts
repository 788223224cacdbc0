// The .npy reader: header text (shape, descr, fortran_order), version bytes, header length and
// data mutated. Seeds: the MTCNN reference tensors and RMNet's reference inputs, saved as .npy.

import { readFileSync } from 'node:fs';
import { formatNpy, NpyError, parseNpy } from '../../io/npy.js';
import { concat, mutateBytes } from '../mutate/bytes.js';
import type { Random } from '../mutate/random.js';
import { decode, mutateText, type TextFormat } from '../mutate/text.js';
import { readSeed, SHARED } from '../shared.js';
import { pickSeeds, type FuzzInput, type Target } from './target.js';

const HEADER: TextFormat = {
  blocks: (text) => [...text.matchAll(/'[a-z_]+': [^,]+,/g)].map((m) => [m.index, m.index + m[0].length] as [number, number]),
  open: '(',
  close: ')',
  quote: (content) => `'${content}'`,
};

/** The header dict of a version 1.0 file: bytes 10 .. 10 + its little-endian uint16 length. */
function mutateHeader(rng: Random, bytes: Uint8Array): { bytes: Uint8Array; how: string } {
  const end = Math.min(bytes.length, 10 + (bytes[8] | (bytes[9] << 8)));
  const { bytes: header, how } = mutateText(rng, decode(bytes.subarray(10, end)), '', HEADER);
  const prefix = bytes.slice(0, 10);
  if (rng.chance(0.7)) new DataView(prefix.buffer).setUint16(8, Math.min(header.length, 0xffff), true);
  return { bytes: concat([prefix, header, bytes.subarray(end)]), how: `header: ${how}` };
}

export const npyTarget: Target = {
  name: 'npy',
  errors: [NpyError],
  async seeds() {
    const references = JSON.parse(readFileSync(`${SHARED}models/mtcnn/reference/references.json`, 'utf8')) as
      { nets: Record<string, { input: { shape: number[]; file: string } }> };
    const tensors = Object.values(references.nets).map(({ input }) => {
      return formatNpy(input.shape, new Float32Array(readSeed(`models/mtcnn/reference/${input.file}`).buffer));
    });
    const rgb = readSeed('models/face-reidentification-retail-0001/reference/inputs/0_0.rgb');
    tensors.push(formatNpy([1, 128, 128, 3], Float32Array.from(rgb)));
    return tensors.map((bytes) => ({ files: [{ name: 'mutant.npy', bytes }] }));
  },
  mutate(rng, all) {
    const [seed, other] = pickSeeds(rng, all);
    const { bytes, how } = rng.chance(0.5) ? mutateHeader(rng, seed.files[0].bytes) : mutateBytes(rng, seed.files[0].bytes, other.files[0].bytes);
    return { input: { files: [{ name: 'mutant.npy', bytes }] }, how };
  },
  async run(input: FuzzInput) {
    const { shape, data } = parseNpy(input.files[0].bytes, input.files[0].name);
    if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`parseNpy returned ${data.length} values for shape [${shape}]`);
  },
};

