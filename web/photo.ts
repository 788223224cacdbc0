// One photo through the pipeline: decode, detect, align, embed — each step timed.

import { decodeImage, type Pixels } from '../io/image.js';
import { INPUT_SIZE } from '../rmnet/embedder.js';
import type { Face } from '../rmnet/mtcnn/detector.js';
import { alignFaces } from '../rmnet/pipeline.js';
import type { DevicePipeline } from './models.js';

export interface ProcessedPhoto {
  name: string;
  pixels: Pixels;
  faces: Face[];
  /** The faces aligned: [N, 3, 128, 128], RGB 0..255. */
  aligned: Float32Array;
  embeddings: Float32Array[];
  /** Where detection and embedding ran, and how long each took (ms). */
  detectDevice: string;
  embedDevice: string;
  decodeMs: number;
  detectMs: number;
  embedMs: number;
}

const PLANE = 3 * INPUT_SIZE * INPUT_SIZE;
/** Longest side detection works on; a larger photo is shrunk for MTCNN (faces are aligned from the full photo). */
const DETECT_SIDE = 1280;

/**
 * Decodes a photo: JPEG with libjpeg's own decoder (mozjpeg in WebAssembly, as the published
 * embeddings were made) and PNG in JavaScript; anything else the browser can read is decoded by
 * the browser.
 */
export async function decodePhoto(file: Blob, name: string): Promise<Pixels> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const jpegOrPng = (bytes[0] === 0xff && bytes[1] === 0xd8) || (bytes[0] === 0x89 && bytes[1] === 0x50);
  if (jpegOrPng) return decodeImage(bytes, name);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return decodeImage(bytes, name); // throws the library's message: not a JPEG or PNG
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return { data, width, height, channels: 4 };
}

export async function processPhoto(file: Blob, name: string, { pipeline, label, detectLabel }: DevicePipeline): Promise<ProcessedPhoto> {
  let started = performance.now();
  const pixels = await decodePhoto(file, name);
  const decodeMs = performance.now() - started;

  started = performance.now();
  const factor = Math.ceil(Math.max(pixels.width, pixels.height) / DETECT_SIDE);
  const faces = factor > 1
    ? (await pipeline.detect(shrink(pixels, factor))).map((face) => scaleFace(face, factor))
    : await pipeline.detect(pixels);
  const detectMs = performance.now() - started;

  // One face per run: one compiled net per device (compiled and warmed when the device is
  // prepared), so the time per face is the net's, not a compiler's.
  const aligned = alignFaces(pixels, faces);
  started = performance.now();
  const embeddings: Float32Array[] = [];
  for (let i = 0; i < faces.length; i++) embeddings.push(...await pipeline.embedder.embedTensor(aligned.subarray(i * PLANE, (i + 1) * PLANE), 1));
  const embedMs = performance.now() - started;
  return { name, pixels, faces, aligned, embeddings, detectDevice: detectLabel, embedDevice: label, decodeMs, detectMs, embedMs };
}

/** The photo shrunk by a whole factor, each output pixel the mean of a factor x factor block (RGB). */
function shrink(pixels: Pixels, factor: number): Pixels {
  const width = Math.floor(pixels.width / factor);
  const height = Math.floor(pixels.height / factor);
  const data = new Uint8ClampedArray(width * height * 3);
  const { channels } = pixels;
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * pixels.width;
          for (let dx = 0; dx < factor; dx++) sum += pixels.data[(row + x * factor + dx) * channels + c];
        }
        data[(y * width + x) * 3 + c] = sum / area;
      }
    }
  }
  return { width, height, data, channels: 3 };
}

/** A face found on the shrunk photo, in the full photo's pixels (continuous coordinates scale as they are). */
function scaleFace(face: Face, factor: number): Face {
  const { x, y, width, height } = face.box;
  return {
    ...face,
    box: { x: x * factor, y: y * factor, width: width * factor, height: height * factor },
    landmarks: face.landmarks.map(([lx, ly]): [number, number] => [lx * factor, ly * factor]),
  };
}
