// A photo with its faces drawn on: box, five landmark dots, and a label (identity and cosine).

import type { Pixels } from '../io/image.js';
import { Canvas, type Rgb } from './canvas.js';
import { LINE_HEIGHT, textWidth } from './font.js';

export interface Annotation {
  box: { x: number; y: number; width: number; height: number };
  landmarks: [number, number][];
  label: string;
  /** Known identities and new IDs get different colours. */
  known: boolean;
}

const KNOWN: Rgb = [40, 220, 90];
const NEW: Rgb = [255, 170, 30];
const DOT: Rgb = [255, 60, 60];
const INK: Rgb = [0, 0, 0];

/** The photo as a canvas (alpha dropped). */
function photoCanvas(pixels: Pixels): Canvas {
  const canvas = new Canvas(pixels.width, pixels.height);
  const { data, channels } = pixels;
  for (let p = 0, q = 0; p < canvas.data.length; p += 3, q += channels) {
    canvas.data[p] = data[q];
    canvas.data[p + 1] = data[q + 1];
    canvas.data[p + 2] = data[q + 2];
  }
  return canvas;
}

/** Draws each face; line widths and text grow with the photo so labels stay legible. */
export function annotate(pixels: Pixels, faces: Annotation[]): Canvas {
  const canvas = photoCanvas(pixels);
  const scale = Math.max(1, Math.round(Math.min(pixels.width, pixels.height) / 300));
  for (const { box, landmarks, label, known } of faces) {
    const colour = known ? KNOWN : NEW;
    const [x, y] = [Math.round(box.x), Math.round(box.y)];
    canvas.strokeRect(x, y, Math.round(box.width), Math.round(box.height), colour, 2 * scale);
    for (const [lx, ly] of landmarks) canvas.fillCircle(lx, ly, 1.5 * scale + 0.5, DOT);
    // The label sits on a filled bar above the box (below its top edge when the box touches the top).
    const barHeight = (LINE_HEIGHT + 3) * scale;
    const barY = y - barHeight >= 0 ? y - barHeight : y;
    canvas.fillRect(x, barY, textWidth(label, scale) + 4 * scale, barHeight, colour);
    canvas.text(x + 2 * scale, barY + 2 * scale, label, INK, scale);
  }
  return canvas;
}
