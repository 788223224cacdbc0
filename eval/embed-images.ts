// Embeds a benchmark's images once each: decode, align into the 128x128 input, run the net in
// batches. With mirrors, each crop's mirror image runs in the same batch, so one pass yields both
// the plain embedding and the flip-averaged one.

import { join } from 'node:path';
import { readImage, type Pixels } from '../io/image.js';
import { alignmentMap, mirrorMap, warpInto, type Affine } from '../rmnet/align.js';
import { INPUT_SIZE, normalize, type Embedder } from '../rmnet/embedder.js';
import type { Point } from '../rmnet/similarity.js';

/** How an image's crop is found: its landmarks from a table, or a known template of already-aligned crops. */
export type CropRule =
  | { kind: 'landmarks'; landmarks: Map<string, Point[]>; scale: number }
  | { kind: 'aligned'; name: string; template: readonly Point[]; size: number };

export interface ImageEmbedding {
  plain: Float32Array;
  /** normalize(plain + mirror's embedding), as Embedder.embedTensor's flip option computes it. */
  flipped?: Float32Array;
}

export interface EmbedOptions {
  /** Also embed each crop's mirror image. */
  mirrors?: boolean;
  /** Images per batch (each with its mirror when mirrors are on). */
  batch?: number;
  onProgress?: (done: number, total: number) => void;
}

const PLANE = 3 * INPUT_SIZE * INPUT_SIZE;

/** Embeds `images` (paths under `dir`, which key the landmark table too). */
export async function embedImages(
  embedder: Embedder, images: readonly string[], dir: string, rule: CropRule, options: EmbedOptions = {},
): Promise<Map<string, ImageEmbedding>> {
  const { mirrors = false, batch = 16, onProgress } = options;
  const result = new Map<string, ImageEmbedding>();
  for (let start = 0; start < images.length; start += batch) {
    const chunk = images.slice(start, start + batch);
    const input = new Float32Array((mirrors ? 2 : 1) * chunk.length * PLANE);
    for (const [i, image] of chunk.entries()) {
      const path = join(dir, image);
      const pixels = await readImage(path);
      const map = cropMap(image, path, pixels, rule);
      warpInto(pixels, map, input, i * PLANE, INPUT_SIZE);
      if (mirrors) warpInto(pixels, mirrorMap(map, INPUT_SIZE), input, (chunk.length + i) * PLANE, INPUT_SIZE);
    }
    const out = await embedder.embedTensor(input, (mirrors ? 2 : 1) * chunk.length, false);
    chunk.forEach((image, i) => {
      const plain = out[i];
      const flipped = mirrors ? normalize(plain.map((v, k) => v + out[chunk.length + i][k])) : undefined;
      result.set(image, { plain, flipped });
    });
    onProgress?.(start + chunk.length, images.length);
  }
  return result;
}

/** The map from the network input's pixels to the photo's. */
function cropMap(image: string, path: string, pixels: Pixels, rule: CropRule): Affine {
  const { width, height } = pixels;
  let landmarks: readonly Point[];
  if (rule.kind === 'aligned') {
    if (width !== rule.size || height !== rule.size) {
      throw new RangeError(`${path}: ${rule.name} crops are ${rule.size}x${rule.size}, this image is ${width}x${height}`);
    }
    landmarks = rule.template;
  } else {
    const points = rule.landmarks.get(image);
    if (!points) throw new RangeError(`${path}: no landmarks for ${image}`);
    // The landmarks' image was resized by `scale` as a whole frame: pixel centres move as (x + 0.5)·s − 0.5.
    landmarks = points.map(({ x, y }) => ({ x: (x + 0.5) * rule.scale - 0.5, y: (y + 0.5) * rule.scale - 0.5 }));
  }
  try {
    return alignmentMap(pixels, landmarks, INPUT_SIZE);
  } catch (error) {
    throw new RangeError(`${path}: ${(error as Error).message}`, { cause: error });
  }
}
