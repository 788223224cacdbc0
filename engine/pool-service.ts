// What one worker of engine/pool.ts does: receives the graph once (plain data, cloned by
// postMessage), compiles it per batch size (the graph's own batch at once, so a bad graph fails
// the load), runs requests. Its entries: pool-worker.ts (Node), web/pool-worker.ts (a browser).

import type { Backend } from './backends/backend.js';
import { cpuBackend } from './backends/cpu.js';
import { threadBackend } from './thread-backend.js';
import { compile, type CompiledModel } from './compile.js';
import type { Graph } from './graph/graph.js';
import { serve, type WorkerSelf } from './worker-link.js';

export type WorkerRequest =
  | { kind: 'load'; graph: Graph; device: 'cpu' | 'simd'; relaxed?: boolean }
  | { kind: 'run'; input: Float32Array; batch: number };

export type WorkerReply = { loaded: true } | { output: Float32Array } | { error: string };

let graph: Graph | undefined;
let backend: Backend = cpuBackend;
const nets = new Map<number, CompiledModel>();

function compiled(batch: number): CompiledModel {
  let net = nets.get(batch);
  if (!net) {
    net = compile(graph!, { batch, backend });
    nets.set(batch, net);
  }
  return net;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'load') {
    graph = request.graph;
    backend = await threadBackend(request.device, request.relaxed);
    compiled(graph.inputs[0].shape[0]);
    return { loaded: true };
  }
  if (!graph) throw new Error('the worker has no model loaded');
  return { output: compiled(request.batch).run({ [graph.inputs[0].name]: request.input })[graph.outputs[0]] };
}

/** Answers the pool's requests arriving at `self`. */
export function servePool(self: WorkerSelf): void {
  serve(self, handle, (reply) => ('output' in reply ? [reply.output.buffer as ArrayBuffer] : []), (error): WorkerReply => ({ error }));
}
