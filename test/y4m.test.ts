// io/y4m.ts against plain float64 references of BT.601 and of each chroma siting, on odd sizes,
// both ranges, streamed in awkward chunks; and every kind of bad stream.
import { describe, expect, it } from 'vitest';
import type { Pixels } from '../io/image.js';
import { y4mFrame, y4mHeader, Y4mReader, type Y4mColourSpace } from '../io/y4m.js';
import { prng } from './kernels/reference.js';
import { concat } from '../io/bytes.js';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** The bytes as an async stream of chunks of the given sizes (cycled), counting how many were pulled. */
function chunked(bytes: Uint8Array, sizes: number[] = [bytes.length || 1]) {
  const stream = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const n = sizes[k % sizes.length];
        stream.pulled++;
        yield bytes.slice(at, at + n);
        at += n;
      }
    },
  };
  return stream;
}

const open = (bytes: Uint8Array, sizes?: number[]) => Y4mReader.open(chunked(bytes, sizes), 'clip.y4m');

async function readAll(bytes: Uint8Array, sizes?: number[]): Promise<Pixels[]> {
  const frames: Pixels[] = [];
  for await (const frame of await open(bytes, sizes)) frames.push(frame);
  return frames;
}

/** Chroma position of each 4:2:0 variant in luma pixels, written out independently of the reader. */
const OFFSETS: Record<string, [number, number]> = { '420jpeg': [0.5, 0.5], '420': [0.5, 0.5], '420mpeg2': [0, 0.5], '420paldv': [0, 0] };

/** Float64 reference: planes → RGB (unrounded), bilinear chroma from its sited positions. */
function referenceRgb(raw: Uint8Array, width: number, height: number, space: Y4mColourSpace, full: boolean): number[] {
  const is444 = space === '444';
  const cw = is444 ? width : Math.ceil(width / 2), ch = is444 ? height : Math.ceil(height / 2);
  const [ox, oy] = is444 ? [0, 0] : OFFSETS[space];
  const step = is444 ? 1 : 2;
  const chromaAt = (plane: number, x: number, y: number) => {
    const fx = Math.min(Math.max((x - ox) / step, 0), cw - 1), fy = Math.min(Math.max((y - oy) / step, 0), ch - 1);
    const x0 = Math.floor(fx), y0 = Math.floor(fy), x1 = Math.min(x0 + 1, cw - 1), y1 = Math.min(y0 + 1, ch - 1);
    const at = (cx: number, cy: number) => raw[plane + cy * cw + cx];
    const ax = fx - x0, ay = fy - y0;
    return (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x1, y0)) + ay * ((1 - ax) * at(x0, y1) + ax * at(x1, y1));
  };
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const luma = full ? raw[y * width + x] / 255 : (raw[y * width + x] - 16) / 219;
      const cb = (chromaAt(width * height, x, y) - 128) / (full ? 255 : 224);
      const cr = (chromaAt(width * height + cw * ch, x, y) - 128) / (full ? 255 : 224);
      out.push(255 * (luma + 1.402 * cr), 255 * (luma - 0.344136286 * cb - 0.714136286 * cr), 255 * (luma + 1.772 * cb));
    }
  }
  return out;
}

function randomFrame(width: number, height: number, space: Y4mColourSpace, next: () => number): Uint8Array {
  const chroma = space === '444' ? width * height : Math.ceil(width / 2) * Math.ceil(height / 2);
  return Uint8Array.from({ length: width * height + 2 * chroma }, () => Math.floor(next() * 256));
}

const SPACES: Y4mColourSpace[] = ['420jpeg', '420mpeg2', '420paldv', '420', '444'];

describe('Y4M reading', () => {
  for (const space of SPACES) {
    for (const full of [false, true]) {
      it(`C${space}, ${full ? 'full' : 'limited'} range, odd sizes: RGB within rounding of the float64 reference`, async () => {
        const next = prng(space.length * 7 + (full ? 1 : 0));
        for (const [width, height] of [[7, 5], [1, 1], [2, 3], [33, 18]]) {
          const frames = [0, 1].map(() => randomFrame(width, height, space, next));
          const header = `YUV4MPEG2 W${width} H${height} F30000:1001 It A1:1 C${space}${full ? ' XCOLORRANGE=FULL' : ''} XYSCSS=ANY\n`;
          const bytes = concat([ascii(header), ascii('FRAME\n'), frames[0], ascii('FRAME Ixyz\n'), frames[1]]);
          const decoded = await readAll(bytes, [3, 1, 17]);
          expect(decoded).toHaveLength(2);
          decoded.forEach((pixels, f) => {
            expect([pixels.width, pixels.height, pixels.channels]).toEqual([width, height, 3]);
            const reference = referenceRgb(frames[f], width, height, space, full);
            const worst = Math.max(...reference.map((v, i) => Math.abs(pixels.data[i] - Math.min(255, Math.max(0, v)))));
            expect(worst, `${width}x${height} frame ${f}`).toBeLessThanOrEqual(0.5 + 1e-6);
          });
        }
      });
    }
  }

  it('reads the header: size, colour space (default 420jpeg), range, frame rate', async () => {
    const reader = await open(ascii('YUV4MPEG2 W4 H2 F25:1\n'));
    expect(reader.header).toEqual({ width: 4, height: 2, colourSpace: '420jpeg', range: 'limited', frameRate: [25, 1] });
    expect(await reader.next()).toBeUndefined();
    const full = await open(ascii('YUV4MPEG2 H2 W4 C444 XCOLORRANGE=FULL\n'));
    expect(full.header).toMatchObject({ colourSpace: '444', range: 'full', frameRate: undefined });
  });

  it('streams: holds one frame, pulls chunks only as frames are read', async () => {
    const [width, height] = [64, 48];
    const frame = concat([ascii('FRAME\n'), new Uint8Array(width * height * 1.5).fill(128)]);
    const bytes = concat([ascii(`YUV4MPEG2 W${width} H${height}\n`), ...Array.from({ length: 50 }, () => frame)]);
    const stream = chunked(bytes, [1000]);
    const reader = await Y4mReader.open(stream, 'stdin');
    await reader.next();
    expect(stream.pulled).toBeLessThanOrEqual(Math.ceil((26 + frame.length) / 1000) + 1);
    let count = 1;
    while (await reader.next()) count++;
    expect(count).toBe(50);
    expect(reader.frames).toBe(50);
  });
});

describe('Y4M writing', () => {
  /** Float64 reference of the writer: limited-range BT.601, chroma the mean of each (up to) 2x2 block. */
  function referencePlanes(pixels: Pixels, space: '420jpeg' | '444'): number[] {
    const { width, height, data, channels } = pixels;
    const f = space === '444' ? 1 : 2;
    const cw = Math.ceil(width / f), ch = Math.ceil(height / f);
    const at = (x: number, y: number, c: number) => data[(y * width + x) * channels + c];
    const luma: number[] = [], cb: number[] = [], cr: number[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) luma.push(16 + (219 * (0.299 * at(x, y, 0) + 0.587 * at(x, y, 1) + 0.114 * at(x, y, 2))) / 255);
    }
    for (let cy = 0; cy < ch; cy++) {
      for (let cx = 0; cx < cw; cx++) {
        let b = 0, r = 0, n = 0;
        for (let y = cy * f; y < Math.min(height, cy * f + f); y++) {
          for (let x = cx * f; x < Math.min(width, cx * f + f); x++) {
            b += -0.168736 * at(x, y, 0) - 0.331264 * at(x, y, 1) + 0.5 * at(x, y, 2);
            r += 0.5 * at(x, y, 0) - 0.418688 * at(x, y, 1) - 0.081312 * at(x, y, 2);
            n++;
          }
        }
        cb.push(128 + (224 * b) / n / 255);
        cr.push(128 + (224 * r) / n / 255);
      }
    }
    return [...luma, ...cb, ...cr];
  }

  for (const space of ['420jpeg', '444'] as const) {
    it(`C${space}: planes within rounding of the float64 reference; the reader reads them back`, async () => {
      const next = prng(space === '444' ? 3 : 4);
      for (const [width, height, channels] of [[9, 7, 3], [1, 1, 4], [40, 30, 4]] as const) {
        const data = Uint8Array.from({ length: width * height * channels }, () => Math.floor(next() * 256));
        const pixels: Pixels = { width, height, data, channels };
        const frame = y4mFrame(pixels, space);
        expect(String.fromCharCode(...frame.subarray(0, 6))).toBe('FRAME\n');
        const reference = referencePlanes(pixels, space);
        const planes = frame.subarray(6);
        expect(planes.length).toBe(reference.length);
        const worst = Math.max(...reference.map((v, i) => Math.abs(planes[i] - v)));
        expect(worst, `${width}x${height}`).toBeLessThanOrEqual(0.5 + 1e-4);

        const [back] = await readAll(concat([y4mHeader(width, height, space), frame]));
        expect(back.width).toBe(width);
        if (space === '444') {
          // Each code is within half a level of exact; back in RGB that is at most 2 levels.
          const rgb = (i: number) => data[Math.floor(i / 3) * channels + (i % 3)];
          expect(Math.max(...Array.from(back.data, (v, i) => Math.abs(v - rgb(i))))).toBeLessThanOrEqual(2);
        }
      }
    });
  }

  it('writes a header the reader takes: size, colour space, limited range, frame rate', async () => {
    const header = y4mHeader(641, 481, '420jpeg', [30000, 1001]);
    expect(String.fromCharCode(...header)).toBe('YUV4MPEG2 W641 H481 F30000:1001 Ip A1:1 C420jpeg XCOLORRANGE=LIMITED\n');
    expect((await open(header)).header).toEqual({ width: 641, height: 481, colourSpace: '420jpeg', range: 'limited', frameRate: [30000, 1001] });
  });
});

describe('Y4M bad input: one clear error naming the stream, the frame and the byte offset', () => {
  const header = 'YUV4MPEG2 W4 H2 C420jpeg\n';
  const frame = concat([ascii('FRAME\n'), new Uint8Array(4 * 2 + 2 * 2 * 1)]);

  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty stream', new Uint8Array(0), /^clip\.y4m: not a Y4M stream: .*it is empty/],
    ['a PNG', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), /^clip\.y4m: not a Y4M stream: .*starts with bytes 89 50 4e 47/],
    ['a header cut short', ascii('YUV4MPEG2 W4 H2'), /^clip\.y4m: Y4M header cut short/],
    ['a header with no end', ascii(`YUV4MPEG2 W4 H2 X${'a'.repeat(5000)}`), /^clip\.y4m: Y4M header longer than 4096 bytes/],
    ['no frame size', ascii('YUV4MPEG2 W4 F25:1\n'), /no frame size \(W and H\)/],
    ['a width that is not a number', ascii('YUV4MPEG2 W4x H2\n'), /W must be a whole number, got '4x'/],
    ['an empty frame size', ascii('YUV4MPEG2 W0 H2\n'), /frame size 0x2 is empty/],
    ['an absurd width', ascii('YUV4MPEG2 W100000 H2\n'), /frame size 100000x2 is over the limit/],
    ['an absurd area', ascii('YUV4MPEG2 W16000 H16000\n'), /frame size 16000x16000 is over the limit of 16384 pixels a side and 40 megapixels/],
    ['a 10-bit colour space', ascii('YUV4MPEG2 W4 H2 C420p10\n'), /colour space '420p10' is not supported \(supported: C420jpeg, C420mpeg2, C420paldv, C420, C444\)/],
    ['4:2:2', ascii('YUV4MPEG2 W4 H2 C422\n'), /colour space '422' is not supported/],
    ['a bad frame rate', ascii('YUV4MPEG2 W4 H2 F25\n'), /F must be a frame rate num:den, got '25'/],
    ['a bad colour range', ascii('YUV4MPEG2 W4 H2 XCOLORRANGE=MPEG\n'), /XCOLORRANGE must be FULL or LIMITED/],
    ['a truncated frame', concat([ascii(header), frame, frame.subarray(0, 10)]), /^clip\.y4m: truncated Y4M: frame 2 \(byte offset 43\) has 4 of its 12 bytes$/],
    ['a frame cut inside its FRAME line', concat([ascii(header), frame, ascii('FRA')]), /^clip\.y4m: truncated Y4M: frame 2 \(byte offset 43\) ends inside its 'FRAME' line$/],
    ['a missing FRAME marker', concat([ascii(header), frame, frame.subarray(6), frame]), /^clip\.y4m: frame 2 at byte offset 43: expected a 'FRAME' line, found/],
    ['junk after the frames', concat([ascii(header), frame, ascii('garbage')]), /frame 2 at byte offset 43: expected a 'FRAME' line, found "garbage" and the end of the stream/],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, async () => {
      await expect(readAll(bytes, [5])).rejects.toThrow(message);
    });
  }
});
