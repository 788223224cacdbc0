// The worker thread of parallel.ts: a FaceDetector of its own on the graphs it is sent, doing
// the pieces of the cascade's work it is asked for on the photo it was last sent.

import { parentPort } from 'node:worker_threads';
import { backendFor } from '../../engine/devices.js';
import type { Graph } from '../../engine/graph/graph.js';
import type { Pixels } from '../../io/image.js';
import { Boxes } from './boxes.js';
import { FaceDetector, VERDICT, type Judge } from './detector.js';
import type { MtcnnNetName } from './nets.js';

export type WorkerRequest =
  | { type: 'start'; graphs: Record<MtcnnNetName, Graph>; device: 'cpu' | 'simd' }
  | { type: 'load'; pixels: Pixels }
  | { type: 'scales'; scales: number[]; threshold: number }
  | { type: 'judge'; net: Judge; records: Float64Array; count: number };

export type WorkerReply =
  | { type: 'started' }
  | { type: 'loaded' }
  | { type: 'scales'; records: Float64Array; count: number }
  | { type: 'judge'; verdicts: Float32Array }
  | { type: 'failed'; message: string };

let detector: FaceDetector | undefined;
const boxes = new Boxes();

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.type === 'start') {
    detector = FaceDetector.fromGraphs(request.graphs, { backend: await backendFor(request.device) });
    return { type: 'started' };
  }
  if (!detector) throw new Error('the detector worker was not started');
  switch (request.type) {
    case 'load':
      detector.load(request.pixels);
      return { type: 'loaded' };
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

parentPort?.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => parentPort!.postMessage(reply, 'records' in reply ? [reply.records.buffer as ArrayBuffer] : 'verdicts' in reply ? [reply.verdicts.buffer as ArrayBuffer] : []),
    (error: unknown) => parentPort!.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
