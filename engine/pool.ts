// Threads for throughput: a pool of worker threads, each holding its own compiled copy of the
// net, and a batch split into one contiguous share per worker. Workers never synchronise per
// layer (a hand-off costs more than many layers take); each runs whole images. Node only.
// The pool takes the graph itself (as an importer gives it): the engine reads no model files.

import { Worker } from 'node:worker_threads';
import { ModelError, type Graph } from './graph/graph.js';
import type { WorkerRequest, WorkerReply } from './pool-worker.js';

export interface PoolOptions {
  /** The net, as an importer gives it (e.g. loadModel): plain data, copied to each worker. */
  graph: Graph;
  /** Worker threads (default 2). */
  threads?: number;
  /** Where each worker runs the net: 'cpu' or 'simd' (default 'simd'). */
  device?: 'cpu' | 'simd';
}

export interface Pool {
  /** Runs `batch` NCHW inputs back to back; resolves to their raw outputs, back to back. */
  run(input: Float32Array, batch: number): Promise<Float32Array>;
  close(): Promise<void>;
}

/** Runs one request on a worker and waits for its reply. */
function ask(worker: Worker, request: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      worker.off('error', reject);
      if ('error' in reply) reject(new ModelError(reply.error));
      else resolve(reply);
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(request, transfer);
  });
}

export async function createPool(options: PoolOptions): Promise<Pool> {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`a pool needs 1 to 64 threads, got ${threads}`);
  if (!Array.isArray(options.graph?.nodes)) throw new TypeError('createPool needs { graph }: a model as an importer gives it (e.g. await loadModel({ model }))');
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./pool-worker.js', import.meta.url)));
  const load: WorkerRequest = { kind: 'load', graph: options.graph, device: options.device ?? 'simd' };
  try {
    await Promise.all(workers.map((worker) => ask(worker, load)));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
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
        return ask(worker, { kind: 'run', input: part, batch: to - from }, [part.buffer]);
      }));
      const outputs = replies.filter((r): r is Extract<WorkerReply, { output: Float32Array }> => r !== undefined && 'output' in r).map((r) => r.output);
      const result = new Float32Array(outputs.reduce((n, o) => n + o.length, 0));
      let at = 0;
      for (const o of outputs) { result.set(o, at); at += o.length; }
      return result;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
