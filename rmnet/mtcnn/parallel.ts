// MTCNN on two cores (a Node worker thread, or a browser's Web Worker): the main thread drives
// FaceDetector's cascade and shares each piece of its work with one worker holding a second
// detector on the same nets. P-Net's pyramid is split into the first scales (the worker) and
// the rest (here), about half the pixels each — the first level alone holds about half of a
// pyramid whose levels shrink by 0.709 per side; R-Net's and O-Net's candidates are split into
// a first half (the worker) and the rest. The worker's results come back in the order one
// thread would have produced them, so the faces are the ones detect() finds. Many small images
// (detectEach) are split whole: each cascade on them is too short to share.

import { Worker } from 'node:worker_threads';
import type { Backend } from '../../engine/backends/backend.js';
import type { Graph } from '../../engine/graph/graph.js';
import type { Pixels } from '../../io/image.js';
import { Boxes } from './boxes.js';
import { FaceDetector, VERDICT, type DetectOptions, type Face, type Work } from './detector.js';
import type { MtcnnNetName } from './nets.js';
import { scaledSize } from './pyramid.js';
import type { WorkerReply, WorkerRequest } from './parallel-service.js';
import { Serial } from '../../engine/serial.js';
import { nodeWorker, WorkerLink, type WorkerPort } from '../../engine/worker-link.js';

/** Fewer candidates than this are judged here alone: a hand-off (~0.2 ms) costs more than judging
 *  a few (R-Net ~0.07 ms a candidate, O-Net ~0.45 on one simd core). */
const MIN_SHARED = { det2: 8, det3: 2 } as const;

export class ParallelDetector {
  /** The scales done here, before they join the worker's (reused). */
  private readonly mine = new Boxes();
  /** Photos one at a time: a cascade lives in the detectors' stores from its first step to its last. */
  private readonly photos = new Serial();

  private constructor(readonly detector: FaceDetector, private readonly worker: WorkerLink<WorkerRequest, WorkerReply>) {}

  /**
   * A detector on the graphs and a backend (cpu or simd) here, and a copy of it on a worker
   * running parallel-service.ts, on the backend of the same name and choices: by default a Node
   * worker thread on parallel-worker.js; a browser passes its Web Worker (web/detector-worker.ts).
   */
  static async start(graphs: Record<MtcnnNetName, Graph>, detector: FaceDetector, backend: Backend,
    port: WorkerPort = nodeWorker(new Worker(new URL('./parallel-worker.js', import.meta.url)))): Promise<ParallelDetector> {
    const device = backend.name;
    if (device !== 'cpu' && device !== 'simd') throw new RangeError(`the detector's worker runs on cpu or simd, not ${device}`);
    const worker = new WorkerLink<WorkerRequest, WorkerReply>(port, (reply) => (reply.type === 'failed' ? new Error(reply.message) : undefined));
    const parallel = new ParallelDetector(detector, worker);
    try {
      await worker.ask({ type: 'start', graphs, device, relaxed: backend.relaxed });
    } catch (error) {
      await worker.close();
      throw error;
    }
    return parallel;
  }

  /** The faces in an image, highest score first: the same as FaceDetector.detect. Photos handed
   *  over together are detected one after the other. */
  detect(pixels: Pixels, options: DetectOptions = {}): Promise<Face[]> {
    return this.photos.run(() => this.cascade(pixels, options));
  }

  /**
   * The faces in each of several images (small ones: the tracker's windows around known faces),
   * as FaceDetector.detect finds them: the worker detects the first half of the images, this
   * thread the rest, at once. A single image is detected here alone.
   */
  detectEach(images: Pixels[], options: DetectOptions = {}): Promise<Face[][]> {
    return this.photos.run(async () => {
      const split = images.length >> 1;
      const theirs = split > 0 ? this.worker.ask({ type: 'detect', images: images.slice(0, split), options }) : undefined;
      theirs?.catch(() => undefined); // awaited below; should this thread's part fail first, theirs is not left unhandled
      const mine = images.slice(split).map((image) => this.detector.detect(image, options));
      return theirs ? [...(await theirs as Extract<WorkerReply, { type: 'detect' }>).faces, ...mine] : mine;
    });
  }

  /** Stops the worker. */
  close(): Promise<void> {
    return this.worker.close();
  }

  private async cascade(pixels: Pixels, options: DetectOptions): Promise<Face[]> {
    const cascade = this.detector.cascade(pixels, options);
    // The worker takes the photo while it is taken here; the work sent after it waits for it there.
    const loaded = this.worker.ask({ type: 'load', pixels }).catch(() => undefined); // a failed load fails the work that follows
    try {
      for (let step = cascade.next(); ; step = cascade.next()) { // the first step validates and takes the photo here
        if (step.done) return step.value;
        await this.share(step.value);
      }
    } finally {
      await loaded;
    }
  }

  /** Does a piece of work half here, half on the worker; the worker's part first in the result. */
  private async share(work: Work): Promise<void> {
    if (work.kind === 'scales') {
      const photo = this.detector.photoSize();
      const areas = work.scales.map((scale) => { const s = scaledSize(photo.width, photo.height, scale); return s.width * s.height; });
      const total = areas.reduce((a, b) => a + b, 0);
      // The worker takes the first scales, up to about half the pixels.
      let split = 0;
      for (let sum = 0; split < areas.length - 1 && Math.abs(sum + areas[split] - total / 2) < Math.abs(sum - total / 2); split++) sum += areas[split];
      const theirs = this.worker.ask({ type: 'scales', scales: work.scales.slice(0, split), threshold: work.threshold });
      theirs.catch(() => undefined); // awaited below; should this thread's part fail first, theirs is not left unhandled
      const mine = this.mine;
      mine.clear();
      this.detector.work({ ...work, scales: work.scales.slice(split), into: mine });
      const reply = await theirs as Extract<WorkerReply, { type: 'scales' }>;
      work.into.append(reply.records, reply.count);
      work.into.append(mine.records, mine.count);
      return;
    }
    const { net, boxes, verdicts } = work;
    const split = boxes.count >= MIN_SHARED[net] ? boxes.count >> 1 : 0;
    const theirs = split > 0 ? this.worker.ask({ type: 'judge', net, records: boxes.slice(0, split), count: split }) : undefined;
    theirs?.catch(() => undefined); // as above
    this.detector.judge(net, boxes, split, boxes.count, verdicts.subarray(VERDICT[net] * split));
    if (theirs) verdicts.set((await theirs as Extract<WorkerReply, { type: 'judge' }>).verdicts);
  }
}
