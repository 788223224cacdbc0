// One engine configuration in a process of its own (forked by e2e.ts), so its peak RSS is its
// own: open the engine, check its outputs (RMNet: embeddings against the published ones; an
// MTCNN net: each output against the reference engine's for the same input), then time runs on
// request. Messages, in order: open → ready | failed; time* → times; close → closed (then exit).

import { readFileSync } from 'node:fs';
import { enableRelaxedSimd } from '../dist/engine/relaxed-simd.js';
import { openEngine, type EngineConfig, type ModelInfo, type Runner } from './engines.js';
import { cosine, FACES, faceBatch, minCosine, referenceInput } from './reference.js';

enableRelaxedSimd(); // as the command line does (Node 20 has it behind a flag)

export type Request =
  | { type: 'open'; config: EngineConfig; model: ModelInfo }
  | { type: 'time'; reps: number }
  | { type: 'close' };

export type Reply =
  /** checkMs: the check's batch times (its runs are the first warm-up). */
  | { type: 'ready'; minCosine: number; openMs: number; checkMs: number[] }
  | { type: 'failed'; message: string }
  | { type: 'times'; ms: number[] }
  | { type: 'closed'; peakRssMb: number };

let runner: Runner | undefined;
let input: Float32Array | undefined;

async function handle(request: Request): Promise<Reply> {
  switch (request.type) {
    case 'open': {
      const { config, model } = request;
      const start = performance.now();
      runner = await openEngine(config, model);
      const openMs = performance.now() - start;
      const checkMs: number[] = [];
      const run = async (batch: Float32Array) => {
        const t0 = performance.now();
        const out = await runner!.run(batch);
        checkMs.push(performance.now() - t0);
        return out;
      };
      const { check } = model;
      if (check.kind === 'embeddings') {
        const cos = await minCosine(check.reference, config.batch, async (batch) => Object.values(await run(batch))[0]);
        input = faceBatch(FACES.map((name) => referenceInput(check.reference, name)), 0, config.batch);
        return { type: 'ready', minCosine: cos, openMs, checkMs };
      }
      input = readFloats(check.input);
      const out = await run(input);
      await run(input); // a second warm-up run, as the embedding check makes at least two
      return { type: 'ready', minCosine: minItemCosine(out, check.outputs, config.batch), openMs, checkMs };
    }
    case 'time': {
      (globalThis as { gc?: () => void }).gc?.();
      const ms: number[] = [];
      for (let i = 0; i < request.reps; i++) {
        const t0 = performance.now();
        await runner!.run(input!);
        ms.push(performance.now() - t0);
      }
      return { type: 'times', ms };
    }
    case 'close': {
      await runner?.close();
      return { type: 'closed', peakRssMb: process.resourceUsage().maxRSS / 1024 };
    }
  }
}

const readFloats = (file: string) => {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

/** The smallest cosine, over every output and batch item, between `out` and the reference outputs (name → file). */
function minItemCosine(out: Record<string, Float32Array>, reference: Record<string, string>, batch: number): number {
  let min = Infinity;
  for (const [name, file] of Object.entries(reference)) {
    const want = readFloats(file);
    const got = out[name];
    if (!got || got.length !== want.length) throw new Error(`output '${name}': ${got ? `${got.length} values` : 'missing'}, the reference has ${want.length}`);
    const item = want.length / batch;
    for (let j = 0; j < batch; j++) min = Math.min(min, cosine(got.subarray(j * item, (j + 1) * item), want.subarray(j * item, (j + 1) * item)));
  }
  return min;
}

process.on('message', (request: Request) => {
  handle(request).then(
    (reply) => process.send!(reply, () => { if (reply.type === 'closed') process.exit(0); }),
    (error: Error) => process.send!({ type: 'failed', message: error.stack ?? String(error) } satisfies Reply),
  );
});

// The parent gone (it failed, or was interrupted): leave too, whatever threads the engine keeps.
process.on('disconnect', () => process.exit(0));
