// Threads for throughput: a pool of worker threads, each holding its own compiled copy of the
// net, and a batch split into one contiguous share per worker. Workers never synchronise per
// layer (a hand-off costs more than many layers take); each runs whole images. Node's worker
// threads by default; a browser passes `spawn` to start Web Workers instead. The pool takes the
// graph itself (as an importer gives it): the engine reads no model files.
// Runs may overlap (each worker answers in order); idle workers let the process end, but
// close() is still the way to free them.

import { Worker } from 'node:worker_threads';
import { ModelError, type Graph } from './graph/graph.js';
import type { WorkerRequest, WorkerReply } from './pool-service.js';
import { nodeWorker, WorkerLink, type WorkerPort } from './worker-link.js';

export interface PoolOptions {
  /** The net, as an importer gives it (e.g. loadModel): plain data, copied to each worker. */
  graph: Graph;
  /** Worker threads (default 2). */
  threads?: number;
  /** Where each worker runs the net: 'cpu' or 'simd' (default 'simd'). */
  device?: 'cpu' | 'simd';
  /** simd: relaxed SIMD or not (default: where the engine has it; Backend.relaxed). */
  relaxed?: boolean;
  /** Starts one worker running pool-service.ts (default: a Node worker thread on pool-worker.js). */
  spawn?: () => WorkerPort;
}

export interface Pool {
  /** Runs `batch` NCHW inputs back to back; resolves to their raw outputs, back to back. */
  run(input: Float32Array, batch: number): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function createPool(options: PoolOptions): Promise<Pool> {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`a pool needs 1 to 64 threads, got ${threads}`);
  if (!Array.isArray(options.graph?.nodes)) throw new TypeError('createPool needs { graph }: a model as an importer gives it (e.g. await loadModel({ model }))');
  const spawn = options.spawn ?? (() => nodeWorker(new Worker(new URL('./pool-worker.js', import.meta.url))));
  const workers = Array.from({ length: threads }, () => new WorkerLink<WorkerRequest, WorkerReply>(
    spawn(), (reply) => ('error' in reply ? new ModelError(reply.error) : undefined)));
  const load: WorkerRequest = { kind: 'load', graph: options.graph, device: options.device ?? 'simd', relaxed: options.relaxed };
  try {
    await Promise.all(workers.map((worker) => worker.ask(load)));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.close()));
    throw error;
  }
  return {
    async run(input, batch) {
      const per = input.length / batch;
      if (!Number.isInteger(per) || batch < 1) throw new RangeError(`${input.length} values do not split into ${batch} inputs`);
      // Image i goes to worker floor(i * threads / batch): contiguous shares differing by at most one.
      const shares = workers.map((_, w) => [Math.ceil((w * batch) / threads), Math.ceil(((w + 1) * batch) / threads)]);
      const replies = await Promise.all(workers.map((worker, w) => {
        const [from, to] = shares[w];
        if (to === from) return undefined;
        const part = input.slice(from * per, to * per);
        return worker.ask({ kind: 'run', input: part, batch: to - from }, [part.buffer]);
      }));
      const outputs = replies.filter((r): r is Extract<WorkerReply, { output: Float32Array }> => r !== undefined && 'output' in r).map((r) => r.output);
      const result = new Float32Array(outputs.reduce((n, o) => n + o.length, 0));
      let at = 0;
      for (const o of outputs) { result.set(o, at); at += o.length; }
      return result;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
