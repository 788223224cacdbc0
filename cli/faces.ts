// The faces the photo commands embed. By default each photo's faces are found, aligned and
// embedded (FacePipeline, the library's photo-level API); with --no-detect each image is a tight
// face crop embedded whole (Embedder, the crop-level API), as the published embeddings were made.

import { Embedder } from '../rmnet/embedder.js';
import { FacePipeline, type EmbeddedFace } from '../rmnet/pipeline.js';
import { embedderOptions, type FaceFlags } from './options.js';

/** A file's embedding: of its largest face (`face`), or with --no-detect of the whole crop. */
export interface FileEmbedding {
  file: string;
  embedding: Float32Array;
  face?: EmbeddedFace;
}

export interface Faces {
  embedder: Embedder;
  /** Present unless --no-detect. */
  pipeline?: FacePipeline;
  /** One embedding per file, in order; a photo with no face is an error naming it. */
  embedOne(files: string[]): Promise<FileEmbedding[]>;
}

export async function loadFaces(flags: FaceFlags): Promise<Faces> {
  const options = embedderOptions(flags);
  if (flags.detect === false) {
    const embedder = await Embedder.load(options);
    return {
      embedder,
      embedOne: async (files) => (await embedder.embedMany(files)).map((embedding, i) => ({ file: files[i], embedding })),
    };
  }
  const pipeline = await FacePipeline.load(options);
  return {
    embedder: pipeline.embedder,
    pipeline,
    embedOne: async (files) => {
      const result: FileEmbedding[] = [];
      for (const file of files) {
        const face = await pipeline.face(file);
        result.push({ file, embedding: face.embedding, face });
      }
      return result;
    },
  };
}

const tenth = (v: number) => Math.round(v * 10) / 10;

/** Where a face is, as the commands print it: box and landmarks in image pixels to 0.1, and the detector's score. */
export function placeOf(face: EmbeddedFace) {
  const { x, y, width, height } = face.box;
  return {
    box: { x: tenth(x), y: tenth(y), width: tenth(width), height: tenth(height) },
    landmarks: face.landmarks.map(([lx, ly]) => [tenth(lx), tenth(ly)]),
    score: face.score,
  };
}
