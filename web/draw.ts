// Drawing with a <canvas>: the photo with its faces (box, five landmarks, label), and aligned crops.

import type { Pixels } from '../io/image.js';
import type { Face } from '../rmnet/mtcnn/detector.js';

export interface FaceLabel {
  text: string;
  /** Enrolled people and anonymous IDs get different colours. */
  known: boolean;
}

const KNOWN = 'rgb(40, 220, 90)';
const ANONYMOUS = 'rgb(255, 170, 30)';
const DOT = 'rgb(255, 60, 60)';

/** The photo's pixels as ImageData (RGBA). */
function imageData(pixels: Pixels): ImageData {
  const { width, height, data, channels } = pixels;
  if (channels === 4) return new ImageData(new Uint8ClampedArray(data), width, height);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgba[p] = data[q];
    rgba[p + 1] = data[q + 1];
    rgba[p + 2] = data[q + 2];
    rgba[p + 3] = 255;
  }
  return new ImageData(rgba, width, height);
}

/** Photos smaller than this (longer side) are drawn enlarged, so boxes and labels stay crisp. */
const MIN_SIDE = 640;
/** The largest size the page shows a photo at (CSS pixels; style.css's .annotated agrees). */
export const DISPLAY = { width: 860, height: 400 };

/** How much a photo is enlarged for drawing. */
export const zoomOf = (pixels: { width: number; height: number }) => Math.max(1, MIN_SIDE / Math.max(pixels.width, pixels.height));

/** The size (CSS pixels) a canvas of this size is shown at. */
export function displaySize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, DISPLAY.width / width, DISPLAY.height / height);
  return { width: width * scale, height: height * scale };
}

/**
 * Draws the photo and each face: box, landmark dots, and the label on a bar above the box (inside
 * it when the box reaches the top of the photo). Faces are in the photo's pixels.
 */
export function drawPhoto(canvas: HTMLCanvasElement, pixels: Pixels, faces: Face[], labels: FaceLabel[]): void {
  const zoom = zoomOf(pixels);
  canvas.width = Math.round(pixels.width * zoom);
  canvas.height = Math.round(pixels.height * zoom);
  const context = canvas.getContext('2d')!;
  const photo = new OffscreenCanvas(pixels.width, pixels.height);
  photo.getContext('2d')!.putImageData(imageData(pixels), 0, 0);
  context.imageSmoothingQuality = 'high';
  context.drawImage(photo, 0, 0, canvas.width, canvas.height);
  context.scale(zoom, zoom);
  // One unit: a CSS pixel where the photo is shown (in photo pixels), so lines and text look alike on any photo.
  const unit = canvas.width / displaySize(canvas.width, canvas.height).width / zoom;
  context.font = `600 ${12 * unit}px system-ui, sans-serif`;
  context.textBaseline = 'top';
  faces.forEach((face, i) => {
    const label = labels[i] ?? { text: `face ${i + 1}`, known: false };
    const colour = label.known ? KNOWN : ANONYMOUS;
    const { x, y, width, height } = face.box;
    context.lineWidth = 2 * unit;
    context.strokeStyle = colour;
    context.strokeRect(x, y, width, height);
    context.fillStyle = DOT;
    for (const [lx, ly] of face.landmarks) {
      context.beginPath();
      context.arc(lx, ly, 2 * unit, 0, 2 * Math.PI);
      context.fill();
    }
    const text = `${i + 1}  ${label.text}`;
    const barHeight = 17 * unit;
    const barY = y - barHeight >= 0 ? y - barHeight : Math.max(y, 0);
    const barX = Math.max(x - unit, 0);
    context.fillStyle = colour;
    context.fillRect(barX, barY, context.measureText(text).width + 8 * unit, barHeight);
    context.fillStyle = 'black';
    context.fillText(text, barX + 4 * unit, barY + 2.5 * unit);
  });
}

/** Draws aligned face `index` of an [N, 3, size, size] tensor (RGB 0..255) on a size x size canvas. */
export function drawCrop(canvas: HTMLCanvasElement, tensor: Float32Array, index: number, size = 128): void {
  canvas.width = size;
  canvas.height = size;
  const plane = size * size;
  const offset = index * 3 * plane;
  const rgba = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    rgba[4 * p] = tensor[offset + p];
    rgba[4 * p + 1] = tensor[offset + plane + p];
    rgba[4 * p + 2] = tensor[offset + 2 * plane + p];
    rgba[4 * p + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, size, size), 0, 0);
}
