// One picture of one value's feature maps: a near-square grid of its channels (batch item 0),
// each channel coloured by viridis from its own min (dark violet) to its own max (yellow), a
// constant channel in neutral mid grey. Small maps are upscaled by an integer factor; each tile
// carries its channel index when it is wide enough; a header names what is shown and draws the
// colour scale. A vector (a 1x1 map per channel, or any non-NCHW value) has one value per channel,
// so its channels share one min/max instead, and the scale gives those two numbers.

import { sizeOf, type Shape } from '../engine/graph/graph.js';
import { Canvas, type Rgb } from './canvas.js';
import { LINE_HEIGHT, textWidth } from './font.js';
import { VIRIDIS } from './viridis.js';

/** Tiles are upscaled by the largest integer factor keeping them within this many pixels (at least 1). */
export const TILE_TARGET = 64;
/** Pixels between tiles, and around the picture. */
export const GAP = 2;
export const MARGIN = 6;
/** Title (font scale 2), subtitle and colour scale lines (scale 1), then a gap before the grid. */
export const HEADER_HEIGHT = 4 * LINE_HEIGHT + 4;
/** The colour scale: a viridis bar this wide between its two labels. */
export const SCALE_BAR = 128;
/** The scale's labels when each channel has its own range. */
export const CHANNEL_SCALE: [string, string] = ["each channel's min ", ' its max'];

const BACKGROUND: Rgb = [20, 20, 24];
const TEXT: Rgb = [235, 235, 235];
const LABEL: Rgb = [160, 160, 170];
const MID_GREY: Rgb = [128, 128, 128];

export interface FeatureMaps {
  /** The first header line, e.g. "stage 2 · 64x32x32". */
  title: string;
  /** The value's name (the second header line). */
  value: string;
  shape: Shape;
  data: Float32Array;
}

/** Levels 0..255 from the values' own min to max (rounded); null when they are all equal. */
export function channelLevels(values: Float32Array): Uint8Array | null {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return null;
  const scale = 255 / (max - min);
  return Uint8Array.from(values, (v) => Math.round((v - min) * scale));
}

/** The scale's labels for values sharing one range: their min and max. */
function valueRange(values: Float32Array): [string, string] {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [`${min.toPrecision(3)} `, ` ${max.toPrecision(3)}`];
}

export function featureMapPicture(maps: FeatureMaps): Canvas {
  const { shape, data } = maps;
  const [channels, height, width] = shape.length === 4 ? shape.slice(1) : [sizeOf(shape.slice(1)), 1, 1];
  const vector = height * width === 1;
  const subtitle = vector ? `${maps.value} · one min/max for all channels` : maps.value;

  const scale = Math.max(1, Math.floor(TILE_TARGET / Math.max(height, width)));
  const tileW = width * scale, tileH = height * scale;
  const columns = Math.ceil(Math.sqrt(channels));
  const rows = Math.ceil(channels / columns);
  const label = tileW >= textWidth(String(channels - 1)) ? LINE_HEIGHT : 0;
  const gridW = columns * tileW + (columns - 1) * GAP;
  const gridH = rows * (label + tileH) + (rows - 1) * GAP;

  const plane = height * width;
  const shared = vector ? channelLevels(data.subarray(0, channels)) : null;
  const [low, high] = vector ? valueRange(data.subarray(0, channels)) : CHANNEL_SCALE;
  const scaleWidth = textWidth(low) + SCALE_BAR + textWidth(high);

  const canvas = new Canvas(
    2 * MARGIN + Math.max(gridW, textWidth(maps.title, 2), textWidth(subtitle), scaleWidth),
    2 * MARGIN + HEADER_HEIGHT + gridH,
    BACKGROUND,
  );
  canvas.text(MARGIN, MARGIN, maps.title, TEXT, 2);
  canvas.text(MARGIN, MARGIN + 2 * LINE_HEIGHT, subtitle, TEXT);
  const scaleY = MARGIN + 3 * LINE_HEIGHT;
  canvas.text(MARGIN, scaleY, low, LABEL);
  for (let x = 0; x < SCALE_BAR; x++) {
    canvas.fillRect(MARGIN + textWidth(low) + x, scaleY, 1, LINE_HEIGHT - 2, VIRIDIS[Math.round((255 * x) / (SCALE_BAR - 1))]);
  }
  canvas.text(MARGIN + textWidth(low) + SCALE_BAR, scaleY, high, LABEL);

  for (let c = 0; c < channels; c++) {
    const x = MARGIN + (c % columns) * (tileW + GAP);
    const y = MARGIN + HEADER_HEIGHT + Math.floor(c / columns) * (label + tileH + GAP);
    if (label) canvas.text(x, y, String(c), LABEL);
    const levels = vector ? shared?.subarray(c, c + 1) : channelLevels(data.subarray(c * plane, (c + 1) * plane));
    for (let p = 0; p < plane; p++) {
      const colour = levels ? VIRIDIS[levels[p]] : MID_GREY;
      canvas.fillRect(x + (p % width) * scale, y + label + Math.floor(p / width) * scale, scale, scale, colour);
    }
  }
  return canvas;
}
