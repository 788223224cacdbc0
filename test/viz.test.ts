// Pictures of the network: the bitmap font and raster, per-channel normalisation, and the
// feature-map PNGs and structure SVG written for RMNet run on a reference face.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaffe } from '../importer/caffe/index.js';
import { Canvas, type Rgb } from '../viz/canvas.js';
import { CHANNEL_SCALE, channelLevels, featureMapPicture, GAP, HEADER_HEIGHT, MARGIN, SCALE_BAR, TILE_TARGET } from '../viz/feature-maps.js';
import { ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows, LINE_HEIGHT, textWidth } from '../viz/font.js';
import { writeInspectPictures } from '../viz/index.js';
import { VIRIDIS } from '../viz/viridis.js';
import { facePath, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from './helpers/shared.js';

const WHITE: Rgb = [255, 255, 255];
const MID_GREY: Rgb = [128, 128, 128];

/** Every pixel of a canvas as [x, y] where `lit` says it must be `colour`, and must not be elsewhere. */
function expectExactly(canvas: Canvas, colour: Rgb, lit: (x: number, y: number) => boolean): void {
  const wrong: string[] = [];
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const isColour = canvas.pixel(x, y).every((v, i) => v === colour[i]);
      if (isColour !== lit(x, y)) wrong.push(`(${x},${y})`);
    }
  }
  expect(wrong).toEqual([]);
}

describe('font and canvas', () => {
  it('measures text as characters × advance × scale', () => {
    expect(textWidth('')).toBe(0);
    expect(textWidth('abc')).toBe(3 * ADVANCE);
    expect(textWidth('stage 2 · 64x32x32', 2)).toBe(18 * ADVANCE * 2);
  });

  it('draws a glyph as exactly its pixels, at scale 1 and 3', () => {
    for (const scale of [1, 3]) {
      const canvas = new Canvas(20, 30);
      canvas.text(2, 3, 'A', WHITE, scale);
      const rows = glyphRows('A');
      expectExactly(canvas, WHITE, (x, y) => {
        const col = Math.floor((x - 2) / scale), row = Math.floor((y - 3) / scale);
        return x >= 2 && y >= 3 && col < GLYPH_WIDTH && row < GLYPH_HEIGHT && (rows[row] & (1 << (GLYPH_WIDTH - 1 - col))) !== 0;
      });
    }
  });

  it('advances the pen per character and draws unknown characters as ?', () => {
    const pair = new Canvas(12, 8);
    pair.text(0, 0, 'Hi', WHITE);
    const single = new Canvas(12, 8);
    single.text(ADVANCE, 0, 'i', WHITE);
    single.text(0, 0, 'H', WHITE);
    expect(pair.data).toEqual(single.data);
    const unknown = new Canvas(6, 8), question = new Canvas(6, 8);
    unknown.text(0, 0, 'É', WHITE);
    question.text(0, 0, '?', WHITE);
    expect(unknown.data).toEqual(question.data);
  });

  it('clips rectangles, lines, dots and text at the edges without throwing', () => {
    const canvas = new Canvas(8, 6);
    canvas.fillRect(-5, -5, 9, 8, WHITE);
    expectExactly(canvas, WHITE, (x, y) => x < 4 && y < 3);

    const outline = new Canvas(8, 6);
    outline.strokeRect(4, 2, 10, 10, WHITE);
    expectExactly(outline, WHITE, (x, y) => (x === 4 && y >= 2) || (y === 2 && x >= 4));

    const other = new Canvas(8, 6);
    expect(() => {
      other.fillRect(100, 100, 5, 5, WHITE);
      other.line(-10, -10, 20, 20, WHITE, 3);
      other.fillCircle(7, 5, 4, WHITE);
      other.text(5, 4, 'clipped', WHITE, 2);
    }).not.toThrow();
  });

  it('draws lines through both ends and dots of the pixels whose centres are within the radius', () => {
    const line = new Canvas(10, 10);
    line.line(1, 1, 8, 8, WHITE);
    expectExactly(line, WHITE, (x, y) => x === y && x >= 1 && x <= 8);
    const flat = new Canvas(10, 10);
    flat.line(8, 4, 2, 4, WHITE, 3);
    expectExactly(flat, WHITE, (x, y) => x >= 1 && x <= 9 && y >= 3 && y <= 5);

    for (const [cx, cy, radius] of [[6, 5.5, 3.2], [6.5, 6.5, 3], [4.25, 7, 1.5]]) {
      const dot = new Canvas(12, 12);
      dot.fillCircle(cx, cy, radius, WHITE);
      expectExactly(dot, WHITE, (x, y) => Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius);
    }
  });

  it('encodes an RGB PNG of its size', () => {
    const canvas = new Canvas(7, 5, [10, 20, 30]);
    const png = decode(canvas.toPng());
    expect([png.width, png.height, png.channels, png.depth]).toEqual([7, 5, 3, 8]);
    expect([...png.data.slice(0, 3)]).toEqual([10, 20, 30]);
  });
});

describe('feature-map normalisation', () => {
  it('maps each channel from its own min to 0 and its max to 255', () => {
    expect([...channelLevels(Float32Array.from([-2, 0, 3, 0.5]))!]).toEqual([0, 102, 255, 128]);
    expect([...channelLevels(Float32Array.from([1000, 1001]))!]).toEqual([0, 255]);
  });

  it('finds no levels in a constant channel, which is painted mid grey', () => {
    expect(channelLevels(Float32Array.from([7, 7, 7]))).toBeNull();
    // Two 2x2 channels: a ramp (top-left lowest, bottom-right highest) and a constant.
    const picture = featureMapPicture({ title: 't', value: 'v', shape: [1, 2, 2, 2], data: Float32Array.from([1, 2, 3, 4, 7, 7, 7, 7]) });
    const scale = Math.floor(TILE_TARGET / 2), tile = 2 * scale;
    const top = MARGIN + HEADER_HEIGHT + LINE_HEIGHT; // below the channel index label
    const tileAt = (c: number, px: number, py: number) => picture.pixel(MARGIN + c * (tile + GAP) + px, top + py);
    expect(tileAt(0, 0, 0)).toEqual(VIRIDIS[0]);
    expect(tileAt(0, tile - 1, tile - 1)).toEqual(VIRIDIS[255]);
    expect(tileAt(0, scale, 0)).toEqual(VIRIDIS[Math.round(255 / 3)]);
    for (const [px, py] of [[0, 0], [tile - 1, tile - 1], [scale, 3]]) expect(tileAt(1, px, py)).toEqual(MID_GREY);
  });

  it('normalises a vector (1x1 maps) as a whole', () => {
    const picture = featureMapPicture({ title: 't', value: 'v', shape: [1, 3, 1, 1], data: Float32Array.from([0, 5, 10]) });
    const tile = TILE_TARGET;
    const top = MARGIN + HEADER_HEIGHT + LINE_HEIGHT;
    const colours = [0, 1, 2].map((c) => picture.pixel(MARGIN + (c % 2) * (tile + GAP) + 5, top + Math.floor(c / 2) * (LINE_HEIGHT + tile + GAP) + 5));
    expect(colours).toEqual([VIRIDIS[0], VIRIDIS[128], VIRIDIS[255]]);
  });
});

describe('the colour scale in the header', () => {
  const scaleY = MARGIN + 3 * LINE_HEIGHT;
  it('draws viridis from low to high between labels: per channel "each channel\'s min … its max", for a vector its min and max', () => {
    const maps = featureMapPicture({ title: 't', value: 'v', shape: [1, 2, 2, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });
    const barX = MARGIN + textWidth(CHANNEL_SCALE[0]);
    expect(maps.pixel(barX, scaleY)).toEqual(VIRIDIS[0]);
    expect(maps.pixel(barX + SCALE_BAR - 1, scaleY + 3)).toEqual(VIRIDIS[255]);
    expect(maps.pixel(barX + SCALE_BAR / 2, scaleY)).toEqual(VIRIDIS[Math.round((255 * SCALE_BAR) / 2 / (SCALE_BAR - 1))]);
    expect(maps.width).toBeGreaterThanOrEqual(2 * MARGIN + textWidth(CHANNEL_SCALE.join('')) + SCALE_BAR);

    const vector = featureMapPicture({ title: 't', value: 'v', shape: [1, 3, 1, 1], data: Float32Array.from([-0.5, 5, 10]) });
    const vectorBarX = MARGIN + textWidth('-0.500 ');
    expect(vector.pixel(vectorBarX, scaleY)).toEqual(VIRIDIS[0]);
    expect(vector.pixel(vectorBarX - 1, scaleY + 3)).not.toEqual(VIRIDIS[0]); // the label's last column, not the bar
    expect(vector.pixel(vectorBarX + SCALE_BAR - 1, scaleY)).toEqual(VIRIDIS[255]);
  });
});

describe('writeInspectPictures on RMNet', () => {
  // Each stage: the last value on the main path at one resolution, [C, H, W] of batch item 0.
  const STAGES = [
    { file: 'stage-0-128x128.png', value: 'ConvNdBackward_0@BatchNormBackward_1_bn', maps: [3, 128, 128] },
    { file: 'stage-1-64x64.png', value: 'AddBackward1_51@AddBackward1_51', maps: [32, 64, 64] },
    { file: 'stage-2-32x32.png', value: 'AddBackward1_162@AddBackward1_162', maps: [64, 32, 32] },
    { file: 'stage-3-16x16.png', value: 'AddBackward1_297@AddBackward1_297', maps: [128, 16, 16] },
    { file: 'stage-4-8x8.png', value: 'AddBackward1_444@AddBackward1_444', maps: [256, 8, 8] },
    { file: 'stage-5-1x1.png', value: 'embedding_output · one min/max for all channels', maps: [128, 1, 1] },
  ];
  let dir: string;
  let paths: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facereid-viz-'));
    paths = await writeInspectPictures(await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL), facePath('0_0'), join(dir, 'out'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes one PNG per stage and the SVG, in order', () => {
    expect(paths.map((p) => basename(p))).toEqual([...STAGES.map((s) => s.file), 'network.svg']);
    expect(paths.every((p) => p.startsWith(join(dir, 'out')))).toBe(true);
  });

  it('lays each stage out as a near-square grid of integer-upscaled tiles under a header', async () => {
    for (const [k, { file, value, maps: [channels, height, width] }] of STAGES.entries()) {
      const png = decode(await readFile(join(dir, 'out', file)));
      const scale = Math.max(1, Math.floor(TILE_TARGET / Math.max(height, width)));
      const columns = Math.ceil(Math.sqrt(channels)), rows = Math.ceil(channels / columns);
      const label = width * scale >= textWidth(String(channels - 1)) ? LINE_HEIGHT : 0;
      const gridW = columns * width * scale + (columns - 1) * GAP;
      const gridH = rows * (label + height * scale) + (rows - 1) * GAP;
      const title = `stage ${k} · ${channels}x${height}x${width}`;
      const expected = {
        width: 2 * MARGIN + Math.max(gridW, textWidth(title, 2), textWidth(value), textWidth(CHANNEL_SCALE.join('')) + SCALE_BAR),
        height: 2 * MARGIN + HEADER_HEIGHT + gridH,
      };
      expect({ file, width: png.width, height: png.height }).toEqual({ file, ...expected });
      expect([png.channels, png.depth]).toEqual([3, 8]);
    }
  });

  it('draws the structure as well-formed SVG with stage resolutions and repeat counts', async () => {
    const svg = await readFile(join(dir, 'out', 'network.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const root = svg.match(/^<svg[^>]*>/)![0];
    for (const attribute of ['width', 'height', 'viewBox']) expect(root).toMatch(new RegExp(` ${attribute}="[^"]+"`));
    expect(balancedTags(svg)).toBe(true);
    for (const text of ['128x128', '64x64', '32x32', '16x16', '8x8', '1x1', '×4', '×8', '×10', '×11', 'downsampling block', 'output embedding_output']) {
      expect(svg).toContain(text);
    }
  });
});

/** Every opening tag closed in order; self-closing tags and <?…?>/<!…> ignored. */
function balancedTags(xml: string): boolean {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!closing) open.push(name);
    else if (open.pop() !== name) return false;
  }
  return open.length === 0;
}
