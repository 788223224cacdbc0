// The image decoders: JPEG (marker segments and frame sizes mutated, then any byte mutation) and
// PNG (chunks, IHDR sizes, bombs; CRCs fixed half the time so mutations get past the checksum).
// Seeds: the reference photos and MTCNN's test photos; the PNG seeds are those photos re-encoded
// as RGB, RGBA, grey and 16-bit grey PNGs.

import { encode as encodePng } from 'fast-png';
import { decodeImage } from '../../io/image.js';
import { ImageError } from '../../io/image-error.js';
import { FUZZ_LIMITS } from '../limits.js';
import { mutateBytes } from '../mutate/bytes.js';
import { fixPngCrcs, mutateJpeg, mutatePng } from '../mutate/images.js';
import { readSeed } from '../shared.js';
import { pickSeeds, type FuzzInput, type Target } from './target.js';

const PHOTOS = [...['0/0_0', '0/0_1', '1/1_0', '2/2_2'].map((f) => `models/face-reidentification-retail-0001/reference/faces/${f}.jpg`),
  'models/mtcnn/test1.jpg', 'models/mtcnn/test2.jpg'];

async function decodeChecked(input: FuzzInput): Promise<void> {
  const { name, bytes } = input.files[0];
  const pixels = await decodeImage(bytes, name, FUZZ_LIMITS);
  if (pixels.data.length !== pixels.width * pixels.height * pixels.channels) {
    throw new Error(`decodeImage returned ${pixels.data.length} bytes for ${pixels.width}x${pixels.height}x${pixels.channels}`);
  }
}

const one = (name: string, bytes: Uint8Array): FuzzInput => ({ files: [{ name, bytes }] });

export const jpegTarget: Target = {
  name: 'jpeg',
  errors: [ImageError],
  async seeds() {
    return PHOTOS.map((photo) => one('mutant.jpg', readSeed(photo)));
  },
  mutate(rng, all) {
    const [seed, other] = pickSeeds(rng, all);
    const bytes = seed.files[0].bytes;
    const { bytes: mutated, how } = (rng.chance(0.5) ? mutateJpeg(rng, bytes) : undefined) ?? mutateBytes(rng, bytes, other.files[0].bytes);
    return { input: one('mutant.jpg', mutated), how };
  },
  run: decodeChecked,
};

export const pngTarget: Target = {
  name: 'png',
  errors: [ImageError],
  async seeds() {
    const photos = await Promise.all(PHOTOS.slice(0, 3).map((photo) => decodeImage(readSeed(photo))));
    const [a, b, c] = photos;
    const rgb = new Uint8Array(a.width * a.height * 3);
    for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) rgb.set(a.data.subarray(i, i + 3), o);
    const grey = Uint8Array.from({ length: c.width * c.height }, (_, i) => c.data[4 * i + 1]);
    const grey16 = Uint16Array.from(grey, (v) => v * 257);
    return [
      encodePng({ width: a.width, height: a.height, data: rgb, channels: 3, depth: 8 }),
      encodePng({ width: b.width, height: b.height, data: b.data, channels: 4, depth: 8 }),
      encodePng({ width: c.width, height: c.height, data: grey, channels: 1, depth: 8 }),
      encodePng({ width: c.width, height: c.height, data: grey16, channels: 1, depth: 16 }),
    ].map((bytes) => one('mutant.png', bytes));
  },
  mutate(rng, all) {
    const [seed, other] = pickSeeds(rng, all);
    const bytes = seed.files[0].bytes;
    const structured = rng.chance(0.5) ? mutatePng(rng, bytes) : undefined;
    if (structured) return { input: one('mutant.png', structured.bytes), how: structured.how };
    const { bytes: mutated, how } = mutateBytes(rng, bytes, other.files[0].bytes);
    const fix = rng.chance(0.5);
    return { input: one('mutant.png', fix ? fixPngCrcs(mutated) : mutated), how: `${how}${fix ? ', CRCs fixed' : ''}` };
  },
  run: decodeChecked,
};
