// The pipeline section's child process (forked by pipeline.ts), one per device and thread count:
// loads FacePipeline, builds the photos and warms up on each (compiling every shape it meets);
// then each round times every photo alone (after an untimed run of the same photo) and its
// detection alone and the photo without flip-averaging, then every photo in turn. The parent takes the children's rounds in turn, so
// load on the machine falls on each alike. Messages: open → ready; round* → times; close → closed.

import { backendFor, type Device } from '../dist/engine/devices.js';
import { enableRelaxedSimd } from '../dist/engine/relaxed-simd.js';
import type { Pixels } from '../dist/io/image.js';
import { findMtcnn } from '../dist/rmnet/mtcnn/index.js';
import { alignFaces, FacePipeline } from '../dist/rmnet/pipeline.js';
import { PHOTOS, photoPixels, sharedOf } from './pipeline.js';

enableRelaxedSimd(); // as the command line does (Node 20 has it behind a flag)

export type PipelineRequest =
  | { type: 'open'; device: string; threads: number; models?: string }
  | { type: 'round' }
  | { type: 'close' };

/** Per photo, in PHOTOS order. */
export interface PhotoInfo {
  photo: string;
  width: number;
  height: number;
  faces: number;
}

export type PipelineReply =
  | { type: 'ready'; photos: PhotoInfo[] }
  /** Per photo: one run alone, one detection alone, one run alone without flip-averaging, one run in turn (ms). */
  | { type: 'times'; alone: number[]; detect: number[]; noFlip: number[]; interleaved: number[] }
  | { type: 'failed'; message: string }
  | { type: 'closed'; peakRssMb: number };

let pipeline: FacePipeline | undefined;
let photos: Pixels[] = [];

const timed = async (f: () => unknown) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

async function handle(request: PipelineRequest): Promise<PipelineReply> {
  switch (request.type) {
    case 'open': {
      pipeline = await FacePipeline.load({ models: request.models, backend: await backendFor(request.device as Device), threads: request.threads });
      const shared = sharedOf(findMtcnn(request.models).det1.prototxt);
      photos = await Promise.all(PHOTOS.map((spec) => photoPixels(spec, shared)));
      const info: PhotoInfo[] = [];
      for (const [i, pixels] of photos.entries()) { // the warm-up: compiles every shape
        info.push({ photo: PHOTOS[i].name, width: pixels.width, height: pixels.height, faces: (await pipeline.faces(pixels)).faces.length });
      }
      return { type: 'ready', photos: info };
    }
    case 'round': {
      const p = pipeline!;
      (globalThis as { gc?: () => void }).gc?.();
      const alone: number[] = [], detect: number[] = [], noFlip: number[] = [], interleaved: number[] = [];
      for (const pixels of photos) {
        await p.faces(pixels);
        alone.push(await timed(() => p.faces(pixels)));
        detect.push(await timed(() => p.detect(pixels)));
        // FacePipeline.faces with each face embedded once (flip: false), as FacePipeline.embed does it.
        noFlip.push(await timed(async () => {
          const faces = await p.detect(pixels);
          if (faces.length > 0) await p.embedder.embedTensor(alignFaces(pixels, faces), faces.length, false);
        }));
      }
      for (const pixels of photos) interleaved.push(await timed(() => p.faces(pixels)));
      return { type: 'times', alone, detect, noFlip, interleaved };
    }
    case 'close':
      await pipeline?.close();
      return { type: 'closed', peakRssMb: process.resourceUsage().maxRSS / 1024 };
  }
}

process.on('message', (request: PipelineRequest) => {
  handle(request).then(
    (reply) => process.send!(reply, () => { if (reply.type === 'closed') process.exit(0); }),
    (error: Error) => process.send!({ type: 'failed', message: error.stack ?? String(error) } satisfies PipelineReply),
  );
});

process.on('disconnect', () => process.exit(0));
