// An RGB raster to draw pictures on: filled and outlined rectangles, lines, dots and bitmap
// text, every primitive clipped at the edges (drawing off the canvas is not an error).
// Pixels are 3 bytes R,G,B, rows top to bottom, as PNG and the image readers lay them out.

import { encode } from 'fast-png';
import { ADVANCE, GLYPH_WIDTH, glyphRows } from './font.js';

export type Rgb = readonly [number, number, number];

export class Canvas {
  /** width × height × 3 bytes. */
  readonly data: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb = [0, 0, 0]) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`canvas size ${width}x${height}: both sides must be positive integers`);
    }
    this.data = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  pixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 3;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  /** Fills the pixels [x, x + w) × [y, y + h) that lie on the canvas. */
  fillRect(x: number, y: number, w: number, h: number, colour: Rgb): void {
    const x0 = Math.max(0, Math.round(x)), x1 = Math.min(this.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y)), y1 = Math.min(this.height, Math.round(y + h));
    for (let row = y0; row < y1; row++) {
      for (let i = (row * this.width + x0) * 3, end = (row * this.width + x1) * 3; i < end; i += 3) {
        this.data[i] = colour[0];
        this.data[i + 1] = colour[1];
        this.data[i + 2] = colour[2];
      }
    }
  }

  /** The outline of [x, x + w) × [y, y + h), `thickness` pixels wide, inside that rectangle. */
  strokeRect(x: number, y: number, w: number, h: number, colour: Rgb, thickness = 1): void {
    const t = Math.min(thickness, Math.ceil(w / 2), Math.ceil(h / 2));
    this.fillRect(x, y, w, t, colour);
    this.fillRect(x, y + h - t, w, t, colour);
    this.fillRect(x, y + t, t, h - 2 * t, colour);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, colour);
  }

  /** A straight line from (x0, y0) to (x1, y1), both ends included; `thickness` pixels square pen. */
  line(x0: number, y0: number, x1: number, y1: number, colour: Rgb, thickness = 1): void {
    const steps = Math.max(Math.abs(Math.round(x1) - Math.round(x0)), Math.abs(Math.round(y1) - Math.round(y0)));
    const offset = Math.floor((thickness - 1) / 2);
    for (let i = 0; i <= steps; i++) {
      const t = steps === 0 ? 0 : i / steps;
      const x = Math.round(x0 + (x1 - x0) * t), y = Math.round(y0 + (y1 - y0) * t);
      this.fillRect(x - offset, y - offset, thickness, thickness, colour);
    }
  }

  /** A filled disc: every pixel whose centre lies within `radius` of (cx, cy) (pixel centres at +0.5). */
  fillCircle(cx: number, cy: number, radius: number, colour: Rgb): void {
    const y0 = Math.max(0, Math.floor(cy - radius)), y1 = Math.min(this.height - 1, Math.ceil(cy + radius));
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - cy;
      if (dy * dy > radius * radius) continue;
      // The pixels x with |x + 0.5 - cx| <= half.
      const half = Math.sqrt(radius * radius - dy * dy);
      const left = Math.ceil(cx - 0.5 - half), right = Math.floor(cx - 0.5 + half);
      this.fillRect(left, y, right - left + 1, 1, colour);
    }
  }

  /** One line of text with its top-left corner at (x, y); each font pixel becomes scale × scale. */
  text(x: number, y: number, text: string, colour: Rgb, scale = 1): void {
    let penX = x;
    for (const char of text) {
      glyphRows(char).forEach((mask, row) => {
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (mask & (1 << (GLYPH_WIDTH - 1 - col))) this.fillRect(penX + col * scale, y + row * scale, scale, scale, colour);
        }
      });
      penX += ADVANCE * scale;
    }
  }

  /** The canvas as an 8-bit RGB PNG file. */
  toPng(): Uint8Array {
    return encode({ width: this.width, height: this.height, data: this.data, channels: 3, depth: 8 });
  }
}
