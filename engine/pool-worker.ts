// One worker of engine/pool.ts: loads the model once, compiles it per batch size, runs requests.

import { parentPort } from 'node:worker_threads';
import type { Backend } from './backends/backend.js';
import { cpuBackend } from './backends/cpu.js';
import { compile, type CompiledModel } from './compile.js';
import type { Graph } from './graph/graph.js';
import { loadModel } from '../importer/index.js';

export type WorkerRequest =
  | { kind: 'load'; model: string; weights?: string; device: 'cpu' | 'simd' }
  | { kind: 'run'; input: Float32Array; batch: number };

export type WorkerReply = { loaded: true } | { output: Float32Array } | { error: string };

let graph: Graph | undefined;
let backend: Backend = cpuBackend;
const nets = new Map<number, CompiledModel>();

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'load') {
    graph = await loadModel({ model: request.model, weights: request.weights });
    if (request.device === 'simd') backend = (await import('./backends/simd.js')).simdBackend;
    return { loaded: true };
  }
  if (!graph) throw new Error('the worker has no model loaded');
  let net = nets.get(request.batch);
  if (!net) {
    net = compile(graph, { batch: request.batch, backend });
    nets.set(request.batch, net);
  }
  return { output: net.run({ [graph.inputs[0].name]: request.input })[graph.outputs[0]] };
}

parentPort?.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => parentPort!.postMessage(reply, 'output' in reply ? [reply.output.buffer as ArrayBuffer] : []),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
