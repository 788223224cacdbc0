// The faces the photo commands embed. By default each photo's faces are found, aligned and
// embedded (FacePipeline, the library's photo-level API); with --no-detect each image is a tight
// face crop embedded whole (Embedder, the crop-level API), as the published embeddings were made.

import type { Pixels } from '../io/image.js';
import { toPixels } from '../rmnet/image-input.js';
import { Embedder } from '../rmnet/embedder.js';
import { FacePipeline, type EmbeddedFace } from '../rmnet/pipeline.js';
import { ALIGNED_THRESHOLD, SAME_PERSON_THRESHOLD } from '../rmnet/verify.js';
import { embedderOptions, type FaceFlags } from './options.js';

/** A face the commands report: a detected face, or with --no-detect the crop itself (its box the whole image, no landmarks, no score). */
export type FoundFace = Omit<EmbeddedFace, 'score'> & { score?: number };

/** A file's embedding: of its largest face (`face`), or with --no-detect of the whole crop. */
export interface FileEmbedding {
  file: string;
  embedding: Float32Array;
  face?: EmbeddedFace;
}

/** --threshold, else the default for what is compared: aligned detected faces, or tight crops resized whole (--no-detect). */
export const thresholdOf = (flags: FaceFlags & { threshold?: number }): number =>
  flags.threshold ?? (flags.detect === false ? SAME_PERSON_THRESHOLD : ALIGNED_THRESHOLD);

export interface Faces {
  embedder: Embedder;
  /** Present unless --no-detect. */
  pipeline?: FacePipeline;
  /** One embedding per file, in order; a photo with no face is an error naming it. */
  embedOne(files: string[]): Promise<FileEmbedding[]>;
  /** Every face of a photo, with its pixels; with --no-detect the one crop. */
  inPhoto(file: string): Promise<{ pixels: Pixels; faces: FoundFace[] }>;
}

export async function loadFaces(flags: FaceFlags): Promise<Faces> {
  const options = embedderOptions(flags);
  if (flags.detect === false) {
    const embedder = await Embedder.load(options);
    return {
      embedder,
      embedOne: async (files) => (await embedder.embedMany(files)).map((embedding, i) => ({ file: files[i], embedding })),
      inPhoto: async (file) => {
        const pixels = await toPixels(file);
        const box = { x: 0, y: 0, width: pixels.width, height: pixels.height };
        return { pixels, faces: [{ embedding: await embedder.embed(pixels), box, landmarks: [] }] };
      },
    };
  }
  const pipeline = await FacePipeline.load(options);
  const detect = { minFaceSize: flags.minFace };
  return {
    embedder: pipeline.embedder,
    pipeline,
    embedOne: async (files) => {
      const result: FileEmbedding[] = [];
      for (const file of files) {
        const face = await pipeline.face(file, detect);
        result.push({ file, embedding: face.embedding, face });
      }
      return result;
    },
    inPhoto: (file) => pipeline.faces(file, detect),
  };
}

const tenth = (v: number) => Math.round(v * 10) / 10;

/** Where a face is, as the commands print it: box and landmarks in image pixels to 0.1, and the detector's score (none for a crop). */
export function placeOf(face: FoundFace) {
  const { x, y, width, height } = face.box;
  return {
    box: { x: tenth(x), y: tenth(y), width: tenth(width), height: tenth(height) },
    landmarks: face.landmarks.map(([lx, ly]) => [tenth(lx), tenth(ly)]),
    score: face.score,
  };
}
