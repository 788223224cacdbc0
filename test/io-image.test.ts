import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encode, type ImageData as PngImage } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeImage, readImage, type Pixels } from '../io/image.js';
import { ImageError } from '../io/image-error.js';

const shared = (path: string) => fileURLToPath(new URL(`../../shared/${path}`, import.meta.url));
const faces = 'models/face-reidentification-retail-0001/reference/faces';
const face00 = () => new Uint8Array(readFileSync(shared(`${faces}/0/0_0.jpg`)));

/** Sizes as the files' SOF headers declare them (width x height). */
const JPEG_SIZES: Record<string, [number, number]> = {
  [`${faces}/0/0_0.jpg`]: [146, 193],
  [`${faces}/0/0_1.jpg`]: [150, 197],
  [`${faces}/0/0_2.jpg`]: [144, 188],
  [`${faces}/1/1_0.jpg`]: [138, 192],
  [`${faces}/1/1_1.jpg`]: [135, 187],
  [`${faces}/1/1_2.jpg`]: [144, 198],
  [`${faces}/2/2_0.jpg`]: [153, 228],
  [`${faces}/2/2_1.jpg`]: [151, 219],
  [`${faces}/2/2_2.jpg`]: [148, 201],
  'models/mtcnn/test1.jpg': [450, 344],
};

async function expectImageError(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  const error = await promise.then(
    () => expect.unreachable('decoding should have failed'),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ImageError);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
}

describe('decodeImage: JPEG', () => {
  for (const [path, [width, height]] of Object.entries(JPEG_SIZES)) {
    it(`decodes ${path} to ${width}x${height} RGBA`, async () => {
      const pixels = await readImage(shared(path));
      expect([pixels.width, pixels.height, pixels.channels]).toEqual([width, height, 4]);
      expect(pixels.data.length).toBe(width * height * 4);
      expect(pixels.data.every((value, i) => i % 4 !== 3 || value === 255)).toBe(true);
    });
  }

  it('turns the image upright by its EXIF orientation (6: rotate 90° clockwise)', async () => {
    const jpeg = face00();
    const upright = await decodeImage(jpeg);
    const rotated = await decodeImage(withExifOrientation(jpeg, 6));
    const { width, height } = upright;
    expect([rotated.width, rotated.height]).toEqual([height, width]);
    // Displayed pixel (x, y) is stored pixel (column y, row height - 1 - x).
    let mismatches = 0;
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < height; x++) {
        const shown = (y * height + x) * 4;
        const stored = ((height - 1 - x) * width + y) * 4;
        for (let c = 0; c < 4; c++) if (rotated.data[shown + c] !== upright.data[stored + c]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

/** The JPEG with an EXIF APP1 segment (little-endian TIFF, one IFD entry: Orientation) after SOI. */
function withExifOrientation(jpeg: Uint8Array, orientation: number): Uint8Array {
  const tiff = [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0];
  const payload = [...new TextEncoder().encode('Exif\0\0'), ...tiff];
  const length = payload.length + 2;
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, length >> 8, length & 0xff, ...payload, ...jpeg.subarray(2)]);
}

describe('decodeImage: PNG', () => {
  const width = 5;
  const height = 3;
  const count = width * height;
  const ramp = (channels: number, max = 255) =>
    Array.from({ length: count * channels }, (_, i) => Math.round(((i * 37) % 101) * (max / 100)));

  async function roundTrip(png: PngImage): Promise<Pixels> {
    const pixels = await decodeImage(encode(png), 'test.png');
    expect([pixels.width, pixels.height]).toEqual([png.width, png.height]);
    return pixels;
  }

  it('RGB 8-bit', async () => {
    const data = new Uint8Array(ramp(3));
    const pixels = await roundTrip({ width, height, data, channels: 3, depth: 8 });
    expect(pixels.channels).toBe(3);
    expect(Array.from(pixels.data)).toEqual(Array.from(data));
  });

  it('RGBA 8-bit', async () => {
    const data = new Uint8Array(ramp(4));
    const pixels = await roundTrip({ width, height, data, channels: 4, depth: 8 });
    expect(pixels.channels).toBe(4);
    expect(Array.from(pixels.data)).toEqual(Array.from(data));
  });

  it('grey 8-bit becomes R = G = B', async () => {
    const grey = ramp(1);
    const pixels = await roundTrip({ width, height, data: new Uint8Array(grey), channels: 1, depth: 8 });
    expect(pixels.channels).toBe(3);
    expect(Array.from(pixels.data)).toEqual(grey.flatMap((v) => [v, v, v]));
  });

  it('grey + alpha 8-bit becomes RGBA', async () => {
    const greyAlpha = ramp(2);
    const pixels = await roundTrip({ width, height, data: new Uint8Array(greyAlpha), channels: 2, depth: 8 });
    expect(pixels.channels).toBe(4);
    const expected = Array.from({ length: count }, (_, p) => {
      const [v, a] = greyAlpha.slice(2 * p, 2 * p + 2);
      return [v, v, v, a];
    }).flat();
    expect(Array.from(pixels.data)).toEqual(expected);
  });

  it('16-bit RGB and grey keep the high byte', async () => {
    const rgb16 = ramp(3, 65535);
    const rgb = await roundTrip({ width, height, data: new Uint16Array(rgb16), channels: 3, depth: 16 });
    expect(Array.from(rgb.data)).toEqual(rgb16.map((v) => v >> 8));
    const grey16 = [0, 255, 256, 32767, 32768, 65280, 65535, ...ramp(1, 65535).slice(7)];
    const grey = await roundTrip({ width, height, data: new Uint16Array(grey16), channels: 1, depth: 16 });
    expect(Array.from(grey.data)).toEqual(grey16.flatMap((v) => [v >> 8, v >> 8, v >> 8]));
  });

  it('1-bit grey is scaled to 0 and 255', async () => {
    // Rows of 5 pixels, each packed from the high bit into one byte: 10110, 01001, 11111.
    const data = new Uint8Array([0b10110000, 0b01001000, 0b11111000]);
    const pixels = await roundTrip({ width, height, data, channels: 1, depth: 1 });
    const bits = [1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1];
    expect(Array.from(pixels.data)).toEqual(bits.flatMap((b) => [255 * b, 255 * b, 255 * b]));
  });

  it('palette, without and with transparency', async () => {
    const indices = new Uint8Array(Array.from({ length: count }, (_, i) => i % 3));
    const opaque = [[255, 0, 0], [0, 128, 0], [10, 20, 30]];
    const rgb = await roundTrip({ width, height, data: indices, channels: 1, depth: 8, palette: opaque });
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.data)).toEqual(Array.from(indices).flatMap((i) => opaque[i]));
    const translucent = opaque.map((colour, i) => [...colour, 100 * i]);
    const rgba = await roundTrip({ width, height, data: indices, channels: 1, depth: 8, palette: translucent });
    expect(rgba.channels).toBe(4);
    expect(Array.from(rgba.data)).toEqual(Array.from(indices).flatMap((i) => translucent[i]));
  });
});

describe('decodeImage: bytes that are a view into a larger buffer', () => {
  it('JPEG and PNG', async () => {
    const inside = (bytes: Uint8Array) => {
      const buffer = new Uint8Array(bytes.length + 24).fill(0xee);
      buffer.set(bytes, 7);
      return buffer.subarray(7, 7 + bytes.length);
    };
    const expectSame = (a: Pixels, b: Pixels) => {
      expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    };
    const jpeg = face00();
    expectSame(await decodeImage(inside(jpeg)), await decodeImage(jpeg));
    const data = Uint8Array.from({ length: 18 }, (_, i) => i * 13);
    const png = encode({ width: 3, height: 2, data, channels: 3, depth: 8 });
    expectSame(await decodeImage(inside(png)), await decodeImage(png));
  });
});

describe('decodeImage: refusals', () => {
  const png = (width: number, height: number) =>
    encode({ width, height, data: new Uint8Array(width * height * 3), channels: 3, depth: 8 });

  /** The PNG with its IHDR width and height replaced (CRC left stale: the header check comes first). */
  function withPngSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
    const patched = bytes.slice();
    const view = new DataView(patched.buffer);
    view.setUint32(16, width);
    view.setUint32(20, height);
    return patched;
  }

  /** The JPEG with its SOF0 height and width replaced. */
  function withJpegSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
    const patched = bytes.slice();
    const sof = patched.findIndex((byte, i) => byte === 0xff && patched[i + 1] === 0xc0);
    const view = new DataView(patched.buffer);
    view.setUint16(sof + 5, height);
    view.setUint16(sof + 7, width);
    return patched;
  }

  it('a text file', async () => {
    await expectImageError(readImage(shared('README.md')), 'README.md: not a JPEG or PNG image (starts with bytes 23 20 73 68');
  });

  it('random bytes and empty input', async () => {
    let seed = 1;
    const random = Uint8Array.from({ length: 1000 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 23);
    await expectImageError(decodeImage(random, 'noise.bin'), 'noise.bin: not a JPEG or PNG image (starts with bytes');
    await expectImageError(decodeImage(new Uint8Array(0), 'empty.jpg'), 'empty.jpg: not a JPEG or PNG image (it is empty)');
  });

  it('a missing file', async () => {
    await expect(readImage('/nonexistent/face.jpg')).rejects.toThrow('cannot read image /nonexistent/face.jpg: no such file');
  });

  it('a JPEG cut to its first 100 bytes (ends before its frame header)', async () => {
    await expectImageError(decodeImage(face00().subarray(0, 100), 'cut.jpg'), 'cut.jpg: truncated or corrupt JPEG: no frame header');
  });

  it('a JPEG cut in the middle of its scan (libjpeg would pad it with grey)', async () => {
    const jpeg = face00();
    await expectImageError(decodeImage(jpeg.subarray(0, jpeg.length >> 1), 'half.jpg'), 'half.jpg: truncated JPEG (libjpeg: Premature end of JPEG file');
  });

  it('a JPEG whose scan data is garbage, then a good JPEG still decodes', async () => {
    const jpeg = face00();
    for (let i = 700; i < jpeg.length; i++) jpeg[i] = (i * 7) & 0xff;
    await expectImageError(decodeImage(jpeg, 'garbage.jpg'), 'garbage.jpg: corrupt or truncated JPEG (libjpeg: ');
    expect((await decodeImage(face00())).width).toBe(146);
  });

  it('a 1x1 PNG and a 2x1 PNG', async () => {
    await expectImageError(decodeImage(png(1, 1), 'dot.png'), 'dot.png: image is 1x1; at least 2x2 is needed');
    await expectImageError(decodeImage(png(2, 1), 'line.png'), 'image is 2x1; at least 2x2 is needed');
  });

  it('absurd PNG and JPEG sizes, refused from the header before decoding', async () => {
    const small = png(2, 2);
    await expectImageError(decodeImage(withPngSize(small, 100000, 100000), 'huge.png'), 'huge.png: image is 100000x100000 (100000 pixels), over the limit of 16384 pixels per image side');
    await expectImageError(decodeImage(withPngSize(small, 20000, 10)), 'image is 20000x10 (20000 pixels), over the limit of 16384 pixels per image side');
    await expectImageError(decodeImage(withPngSize(small, 12000, 12000)), 'image is 12000x12000 (144000000 pixels), over the limit of 100000000 pixels per image');
    await expectImageError(decodeImage(withJpegSize(face00(), 60000, 60000), 'huge.jpg'), 'huge.jpg: image is 60000x60000 (60000 pixels), over the limit of 16384 pixels per image side');
  });

  it('a corrupt PNG and a truncated PNG', async () => {
    const bytes = png(8, 8);
    const flipped = bytes.slice();
    flipped[45] ^= 0xff; // inside the IDAT chunk
    await expectImageError(decodeImage(flipped, 'flipped.png'), 'flipped.png: corrupt or truncated PNG (');
    await expectImageError(decodeImage(bytes.subarray(0, bytes.length - 20), 'cut.png'), 'cut.png: corrupt or truncated PNG (');
  });
});
