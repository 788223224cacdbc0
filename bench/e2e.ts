// End to end: every engine configuration in a child process of its own, opened two at a time
// and untimed; each first checks its embeddings against the published ones (those runs are its
// first warm-up), then runs `warmup` more batches. Then timed rounds go round-robin over all of
// them — so load noise hits every engine alike — each turn running whole batches for about
// `roundMs`. Reported: the median over all runs, per image; min and max beside it; each
// child's peak RSS, measured as it closes.

import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Reply, Request } from './child.js';
import { describeConfig, type EngineConfig, type ModelInfo } from './engines.js';

export interface RunResult {
  engine: string;
  backend: string;
  threads: number;
  batch: number;
  /** The detector section's runs: the net (det1 …) and its whole input shape, e.g. 1x3x608x1151. */
  model?: string;
  input?: string;
  /** 2·MACs of one run ÷ its median time (the detector section). */
  gflops?: number;
  /** Median time of a batch, divided by the batch. */
  msPerImage: number;
  imagesPerSecond: number;
  /** Peak resident set of the engine's own process (Node itself included: see baselineRssMb). */
  peakRssMb: number;
  /** Smallest cosine between an L2-normalised output and its published embedding, over the reference faces. */
  minCosine: number;
  minMsPerImage: number;
  maxMsPerImage: number;
  /** Timed batches behind the median. */
  samples: number;
  /** Time to load the model and build the engine. */
  openMs: number;
}

export interface Skipped {
  config: EngineConfig;
  reason: string;
}

export interface E2EOptions {
  /** Untimed batches per engine before the rounds, after the embedding check (whose runs warm up too). */
  warmup: number;
  rounds: number;
  /** Each engine's turn in a round runs about this long (at least one batch). */
  roundMs: number;
  maxRepsPerTurn: number;
  log(line: string): void;
}

export interface E2EResult {
  runs: RunResult[];
  skipped: Skipped[];
  /** Peak RSS of a child that loads nothing: Node's own share of every peakRssMb. */
  baselineRssMb: number;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A forked child process (default child.ts), one request at a time. */
export class Child<Q = Request, R extends { type: string } = Reply> {
  private readonly proc: ChildProcess;
  private output = '';
  private pending?: { resolve(reply: R): void; reject(error: Error): void };

  constructor(script = './child.js') {
    this.proc = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => { this.output = (this.output + chunk.toString()).slice(-2000); };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.proc.on('message', (reply: R) => this.settle((p) => p.resolve(reply)));
    this.proc.on('exit', (code, signal) => this.settle((p) => p.reject(new Error(
      `child exited (${signal ?? `code ${code}`})${this.output ? `; its last output: ${this.output.trim().split('\n').slice(-3).join(' | ')}` : ''}`))));
  }

  private settle(action: (p: NonNullable<Child<Q, R>['pending']>) => void) {
    const p = this.pending;
    this.pending = undefined;
    if (p) action(p);
  }

  async call<T extends R['type']>(request: Q, expected: T): Promise<Extract<R, { type: T }>> {
    const reply = await new Promise<R>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.proc.send(request as object);
    });
    if (reply.type === 'failed') throw new Error((reply as { message?: string }).message);
    if (reply.type !== expected) throw new Error(`child replied '${reply.type}', expected '${expected}'`);
    return reply as Extract<R, { type: T }>;
  }

  kill() {
    this.proc.kill();
  }
}

/** An engine configuration and the model it runs. */
export interface Job {
  config: EngineConfig;
  model: ModelInfo;
}

interface Live {
  config: EngineConfig;
  child: Child;
  minCosine: number;
  openMs: number;
  estimateMs: number;
  times: number[];
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

export async function runEndToEnd(jobs: Job[], options: E2EOptions): Promise<E2EResult> {
  const { log } = options;
  const t0 = performance.now();
  const seconds = () => `${((performance.now() - t0) / 1e3).toFixed(1)} s`;
  const baseline = await new Child().call({ type: 'close' }, 'closed');
  const skipped: Skipped[] = [];
  let live: Live[] = [];
  const drop = (engine: Live, error: unknown) => {
    skipped.push({ config: engine.config, reason: firstLine(error) });
    log(`  ${describeConfig(engine.config)}: dropped: ${firstLine(error)}`);
    engine.child.kill();
    live = live.filter((e) => e !== engine);
  };

  // Opening is not timed: two at a time (model loads, wasm compiles), then back in config order.
  const queue = [...jobs];
  const opened: Live[] = [];
  const opener = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { config, model } = job;
      const child = new Child();
      try {
        const ready = await child.call({ type: 'open', config, model }, 'ready');
        opened.push({ config, child, minCosine: ready.minCosine, openMs: ready.openMs, estimateMs: Math.min(...ready.checkMs), times: [] });
        log(`  opened ${describeConfig(config)} in ${ready.openMs.toFixed(0)} ms, checked in ${ready.checkMs.reduce((a, b) => a + b, 0).toFixed(0)} ms: min cosine to the ${model.check.kind === 'embeddings' ? 'published embeddings' : 'reference outputs'} ${ready.minCosine.toFixed(6)}`);
      } catch (error) {
        skipped.push({ config, reason: firstLine(error) });
        log(`  ${describeConfig(config)}: skipped: ${firstLine(error)}`);
        child.kill();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, opener));
  live = jobs.flatMap((j) => opened.filter((e) => e.config === j.config));
  log(`  all opened and checked at ${seconds()}`);

  for (const engine of options.warmup > 0 ? [...live] : []) {
    try {
      const { ms } = await engine.child.call({ type: 'time', reps: options.warmup }, 'times');
      engine.estimateMs = median(ms);
    } catch (error) { drop(engine, error); }
  }
  log(`  warmed up at ${seconds()}`);
  for (let round = 0; round < options.rounds; round++) {
    const order = live.map((_, i) => live[(i + round) % live.length]);
    for (const engine of order) {
      const reps = Math.min(options.maxRepsPerTurn, Math.max(1, Math.round(options.roundMs / engine.estimateMs)));
      try {
        engine.times.push(...(await engine.child.call({ type: 'time', reps }, 'times')).ms);
      } catch (error) { drop(engine, error); }
    }
    log(`  round ${round + 1}/${options.rounds} done at ${seconds()}`);
  }

  const runs: RunResult[] = [];
  for (const engine of live) {
    const { config, times } = engine;
    let peakRssMb = NaN;
    try {
      peakRssMb = (await engine.child.call({ type: 'close' }, 'closed')).peakRssMb;
    } catch (error) {
      log(`  ${describeConfig(config)}: closing failed: ${firstLine(error)}`);
      engine.child.kill();
    }
    if (times.length === 0) continue;
    const msPerImage = median(times) / config.batch;
    runs.push({
      engine: config.engine, backend: config.backend, threads: config.threads, batch: config.batch, model: config.model, input: config.input,
      msPerImage, imagesPerSecond: 1000 / msPerImage, peakRssMb, minCosine: engine.minCosine,
      minMsPerImage: Math.min(...times) / config.batch, maxMsPerImage: Math.max(...times) / config.batch,
      samples: times.length, openMs: engine.openMs,
    });
  }
  return { runs, skipped, baselineRssMb: baseline.peakRssMb };
}
