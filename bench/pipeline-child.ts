// The pipeline section's child process (forked by pipeline.ts), one per device and thread count:
// loads FacePipeline, builds the photos, warms up on each (compiling every shape it meets), then
// times FacePipeline.faces per photo alone and interleaved, and the detection alone.
// Messages: run → done | failed; close → closed (then exit).

import { backendFor, type Device } from '../dist/engine/devices.js';
import { findMtcnn } from '../dist/rmnet/mtcnn/index.js';
import { FacePipeline } from '../dist/rmnet/pipeline.js';
import { PHOTOS, photoPixels, sharedOf, timing, type PipelineResult } from './pipeline.js';

export type PipelineRequest =
  | { type: 'run'; device: string; threads: number; models?: string; runs: number; rounds: number }
  | { type: 'close' };

type PhotoResult = Omit<PipelineResult, 'engine' | 'backend' | 'threads' | 'peakRssMb'>;

export type PipelineReply =
  | { type: 'done'; photos: PhotoResult[] }
  | { type: 'failed'; message: string }
  | { type: 'closed'; peakRssMb: number };

async function run(request: Extract<PipelineRequest, { type: 'run' }>): Promise<PhotoResult[]> {
  const pipeline = await FacePipeline.load({ models: request.models, backend: await backendFor(request.device as Device), threads: request.threads });
  const shared = sharedOf(findMtcnn(request.models).det1.prototxt);
  const photos = await Promise.all(PHOTOS.map(async (spec) => ({ spec, pixels: await photoPixels(spec, shared) })));
  const faces = async (i: number) => (await pipeline.faces(photos[i].pixels)).faces.length;
  const timed = async (f: () => unknown) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const found: number[] = [];
  for (let i = 0; i < photos.length; i++) found.push(await faces(i)); // warm-up: compiles every shape
  const gc = (globalThis as { gc?: () => void }).gc;
  const alone = photos.map(() => [] as number[]), interleaved = photos.map(() => [] as number[]), detect = photos.map(() => [] as number[]);
  for (let i = 0; i < photos.length; i++) {
    gc?.();
    await faces(i);
    for (let r = 0; r < request.runs; r++) alone[i].push(await timed(() => faces(i)));
    for (let r = 0; r < request.runs; r++) detect[i].push(await timed(() => pipeline.detect(photos[i].pixels)));
  }
  for (let r = 0; r < request.rounds; r++) {
    gc?.();
    for (let i = 0; i < photos.length; i++) interleaved[i].push(await timed(() => faces(i)));
  }
  await pipeline.close();
  return photos.map(({ spec, pixels }, i) => ({
    photo: spec.name, width: pixels.width, height: pixels.height, faces: found[i],
    alone: timing(alone[i]), interleaved: timing(interleaved[i]), detect: timing(detect[i]),
  }));
}

process.on('message', (request: PipelineRequest) => {
  const reply: Promise<PipelineReply> = request.type === 'run'
    ? run(request).then((photos) => ({ type: 'done', photos }))
    : Promise.resolve({ type: 'closed', peakRssMb: process.resourceUsage().maxRSS / 1024 });
  reply.then(
    (r) => process.send!(r, () => { if (r.type === 'closed') process.exit(0); }),
    (error: Error) => process.send!({ type: 'failed', message: error.stack ?? String(error) } satisfies PipelineReply),
  );
});

process.on('disconnect', () => process.exit(0));
