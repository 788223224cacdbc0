// One engine configuration in a process of its own (forked by e2e.ts), so its peak RSS is its
// own: open the engine, check its embeddings against the published ones, then time runs on
// request. Messages, in order: open → ready | failed; time* → times; close → closed (then exit).

import { openEngine, type EngineConfig, type ModelInfo, type Runner } from './engines.js';
import { FACES, faceBatch, minCosine, referenceInput } from './reference.js';

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
      const cos = await minCosine(model.reference, config.batch, async (batch) => {
        const t0 = performance.now();
        const out = await runner!.run(batch);
        checkMs.push(performance.now() - t0);
        return out;
      });
      input = faceBatch(FACES.map((name) => referenceInput(model.reference, name)), 0, config.batch);
      return { type: 'ready', minCosine: cos, openMs, checkMs };
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

process.on('message', (request: Request) => {
  handle(request).then(
    (reply) => process.send!(reply, () => { if (reply.type === 'closed') process.exit(0); }),
    (error: Error) => process.send!({ type: 'failed', message: error.stack ?? String(error) } satisfies Reply),
  );
});

// The parent gone (it failed, or was interrupted): leave too, whatever threads the engine keeps.
process.on('disconnect', () => process.exit(0));
