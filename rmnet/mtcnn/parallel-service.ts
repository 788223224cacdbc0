// What the worker of parallel.ts does: a FaceDetector of its own on the graphs it is sent, doing
// the pieces of the cascade's work it is asked for on the photo it was last sent, or whole
// detections on the images it is sent with the request (the tracker's windows). Its entries:
// parallel-worker.ts (Node), web/detector-worker.ts (a browser).

import { threadBackend } from '../../engine/thread-backend.js';
import type { Graph } from '../../engine/graph/graph.js';
import { serve, type WorkerSelf } from '../../engine/worker-link.js';
import type { Pixels } from '../../io/image.js';
import { Boxes } from './boxes.js';
import { FaceDetector, VERDICT, type DetectOptions, type Face, type Judge } from './detector.js';
import type { MtcnnNetName } from './nets.js';

export type WorkerRequest =
  | { type: 'start'; graphs: Record<MtcnnNetName, Graph>; device: 'cpu' | 'simd'; relaxed?: boolean }
  | { type: 'load'; pixels: Pixels }
  | { type: 'scales'; scales: number[]; threshold: number }
  | { type: 'judge'; net: Judge; records: Float64Array; count: number }
  | { type: 'detect'; images: Pixels[]; options: DetectOptions };

export type WorkerReply =
  | { type: 'started' }
  | { type: 'loaded' }
  | { type: 'scales'; records: Float64Array; count: number }
  | { type: 'judge'; verdicts: Float32Array }
  | { type: 'detect'; faces: Face[][] }
  | { type: 'failed'; message: string };

let detector: FaceDetector | undefined;
/** Why the last photo sent could not be taken (the work on it is refused), if it could not. */
let unloaded: string | undefined = 'no photo was sent';
const boxes = new Boxes();

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.type === 'start') {
    detector = FaceDetector.fromGraphs(request.graphs, { backend: await threadBackend(request.device, request.relaxed) });
    return { type: 'started' };
  }
  if (!detector) throw new Error('the detector worker was not started');
  if (request.type === 'load') {
    unloaded = 'the photo could not be taken';
    detector.load(request.pixels);
    unloaded = undefined;
    return { type: 'loaded' };
  }
  if (request.type === 'detect') {
    unloaded = 'the photo was replaced by the images of a detect request'; // detect() loads each of them
    const faces: Face[][] = [];
    for (const image of request.images) faces.push(detector.detect(image, request.options));
    return { type: 'detect', faces };
  }
  if (unloaded) throw new Error(`the detector worker: ${unloaded}`);
  switch (request.type) {
    case 'scales':
      boxes.clear();
      detector.work({ kind: 'scales', scales: request.scales, threshold: request.threshold, into: boxes });
      return { type: 'scales', records: boxes.slice(0, boxes.count), count: boxes.count };
    case 'judge': {
      boxes.clear();
      boxes.append(request.records, request.count);
      const verdicts = new Float32Array(VERDICT[request.net] * request.count);
      detector.judge(request.net, boxes, 0, request.count, verdicts);
      return { type: 'judge', verdicts };
    }
  }
}

/** Answers the detector's requests arriving at `self`. */
export function serveDetector(self: WorkerSelf): void {
  serve(self, handle, (reply) => ('records' in reply ? [reply.records.buffer as ArrayBuffer] : 'verdicts' in reply ? [reply.verdicts.buffer as ArrayBuffer] : []),
    (message): WorkerReply => ({ type: 'failed', message }));
}
