// Following faces between full detections: the MTCNN cascade run only on a small window around
// where each face is expected, at that face's scale, so that each stage judges about one
// candidate instead of the whole frame's. The window — a square 4/3 of the face's side, centred
// on the expected box — is resampled to WINDOW x WINDOW pixels (fixed input shapes, compiled
// once), where the face is FACE = WINDOW·3/4 pixels. Detecting faces of at least FACE pixels
// there leaves P-Net a single pyramid scale, 12/FACE: the window becomes 16x16 pixels, 3x3 cells
// of candidate boxes the face's size, offset by up to 1/6 of it (the next scale, 0.709 times
// smaller, would be under P-Net's 12 pixels). R-Net, O-Net and L-Net then see one or two
// candidates. A face that moved more than about a quarter of its side from where it was
// expected, or grew or shrank by more than about a fifth, is left to the next full detection.
// Boxes and landmarks are mapped back to the frame. With a two-thread pipeline the windows are
// shared out whole between the threads (FacePipeline.detectEach).

import type { Pixels } from '../../io/image.js';
import type { Face } from '../mtcnn/index.js';
import type { FacePipeline } from '../pipeline.js';
import type { Rect } from './boxes.js';

/** Side of the resampled window. */
const WINDOW = 144;
/** The followed face's side in the window. */
const FACE = (WINDOW * 3) / 4;

/** The faces found in a window around each box (each box: where a face is expected in this frame), per box. */
export async function follow(pipeline: Pick<FacePipeline, 'detectEach'>, pixels: Pixels, boxes: Rect[]): Promise<Face[][]> {
  const windows = boxes.map((box) => {
    const k = Math.max(box.width, box.height) / FACE; // frame pixels per window pixel
    return { k, x0: box.x + box.width / 2 - (WINDOW * k) / 2, y0: box.y + box.height / 2 - (WINDOW * k) / 2 };
  });
  const found = await pipeline.detectEach(windows.map(({ x0, y0, k }) => resample(pixels, x0, y0, k)), { minFaceSize: FACE });
  return found.map((faces, i) => {
    const { x0, y0, k } = windows[i];
    return faces.map(({ box: b, score, landmarks }) => ({
      box: { x: x0 + b.x * k, y: y0 + b.y * k, width: b.width * k, height: b.height * k },
      score,
      landmarks: landmarks.map(([x, y]): [number, number] => [x0 + x * k, y0 + y * k]),
    }));
  });
}

/**
 * The square [x0, x0 + WINDOW·k) x [y0, y0 + WINDOW·k) of the image as WINDOW x WINDOW RGB pixels:
 * window pixel (u, v) is the image sampled bilinearly at the centre of the area it covers,
 * (x0 + (u + 0.5)·k, y0 + (v + 0.5)·k) in continuous coordinates; outside the image, black.
 */
function resample(pixels: Pixels, x0: number, y0: number, k: number): Pixels {
  const { width, channels, data } = pixels;
  const columns = taps(x0, k, width, channels);
  const rows = taps(y0, k, pixels.height, width * channels);
  const out = new Uint8ClampedArray(WINDOW * WINDOW * 3);
  let o = 0;
  for (let v = 0; v < WINDOW; v++) {
    const top = rows.near[v], bottom = rows.far[v];
    const wTop = rows.nearWeight[v], wBottom = rows.farWeight[v];
    for (let u = 0; u < WINDOW; u++) {
      const topLeft = top + columns.near[u], topRight = top + columns.far[u];
      const bottomLeft = bottom + columns.near[u], bottomRight = bottom + columns.far[u];
      const wLeft = columns.nearWeight[u], wRight = columns.farWeight[u];
      for (let c = 0; c < 3; c++) {
        out[o++] = wTop * (wLeft * data[topLeft + c] + wRight * data[topRight + c]) +
          wBottom * (wLeft * data[bottomLeft + c] + wRight * data[bottomRight + c]);
      }
    }
  }
  return { width: WINDOW, height: WINDOW, data: out, channels: 3 };
}

/**
 * Along one axis of `size` pixels, `stride` samples apart in the image's data: for window sample
 * d, the offsets of the two pixels around the point start + (d + 0.5)·k (pixel centres at
 * i + 0.5) and their weights; a pixel off the image gets weight 0 (its index is clamped only to
 * stay readable).
 */
function taps(start: number, k: number, size: number, stride: number) {
  const near = new Int32Array(WINDOW), far = new Int32Array(WINDOW);
  const nearWeight = new Float32Array(WINDOW), farWeight = new Float32Array(WINDOW);
  const clamp = (i: number) => Math.min(Math.max(i, 0), size - 1);
  const inside = (i: number) => i >= 0 && i < size;
  for (let d = 0; d < WINDOW; d++) {
    const s = start + (d + 0.5) * k - 0.5;
    const i = Math.floor(s), f = s - i;
    near[d] = clamp(i) * stride;
    far[d] = clamp(i + 1) * stride;
    nearWeight[d] = inside(i) ? 1 - f : 0;
    farWeight[d] = inside(i + 1) ? f : 0;
  }
  return { near, far, nearWeight, farWeight };
}
