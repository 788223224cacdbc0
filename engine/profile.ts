// Where a compiled model's time goes. Each node's kernel is timed on its own over several runs and
// reported as a median; each whole run is timed too, as one measure around the same steps, so a
// caller can check that the parts add up to the whole. On a busy machine elapsed time includes the
// slices other processes take, which land on a few random steps per run: the per-step medians drop
// them and the whole run's median does not, so parts and whole agree there only in CPU time.
// Each layer is reported with the variant the lowering chose and the backend kernel that ran it.
// A backend whose whole run happens in one step (gpu.js's pipeline) cannot be timed layer by
// layer: it is refused.

import type { CompiledModel } from './compile.js';
import { sizeOf, type Node } from './graph/graph.js';
import type { OpName } from './graph/ops.js';
import type { Variant } from './lower/kernel-node.js';

export interface ProfileOptions {
  /** Timed runs (default 20). */
  runs?: number;
  /** Untimed runs first (default 3). */
  warmup?: number;
  /** Seed of the fixed random input (default 1). */
  seed?: number;
  /** What a step's time is (default 'wall'): elapsed time (performance.now()), or this process's CPU
   *  time (process.cpuUsage(): undisturbed by other processes on a busy machine, but it counts every
   *  thread of this process). */
  clock?: Clock;
}

export type Clock = 'wall' | 'cpu';

const CLOCKS: Record<Clock, () => number> = {
  wall: () => performance.now(),
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

export interface Profile {
  runs: number;
  clock: Clock;
  /** Each node's median kernel time in ms, in graph order; its variant and the backend kernel that ran it. */
  layers: { node: Node; variant: Variant; runsOn: string; ms: number }[];
  /** Per op type, the sum of its nodes' medians, slowest first. */
  opTypes: { op: OpName; layers: number; ms: number }[];
  /** Median time of one whole run: every step, timed as one. */
  wholeMs: number;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Pixel-like values 0..255 from mulberry32, a small seeded generator. */
function randomInput(length: number, seed: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 255;
  });
}

export function profile(net: CompiledModel, options: ProfileOptions = {}): Profile {
  const { runs = 20, warmup = 3, seed = 1, clock = 'wall' } = options;
  const now = CLOCKS[clock];
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0 || !now) {
    throw new RangeError(`profile needs runs >= 1, warmup >= 0 (whole numbers) and clock wall or cpu; got runs ${runs}, warmup ${warmup}, clock ${clock}`);
  }
  if (net.backend.async) {
    throw new Error(`profile times each layer on its own, but the ${net.backend.name} device runs the whole net as one pipeline in its first step; profile on cpu, simd or gpujs-cpu`);
  }
  const { graph, shapes } = net;
  const inputs = Object.fromEntries(graph.inputs.map((input, i) => [input.name, randomInput(sizeOf(shapes.get(input.name)!), seed + i)]));
  const steps = net.steps.map((step) => step.run);

  net.setInputs(inputs);
  const times = steps.map(() => new Float64Array(runs));
  const whole = new Float64Array(runs);
  for (let r = -warmup; r < runs; r++) {
    const runStart = now();
    steps.forEach((step, i) => {
      const start = now();
      step();
      if (r >= 0) times[i][r] = now() - start;
    });
    if (r >= 0) whole[r] = now() - runStart;
  }

  const layers = graph.nodes.map((node, i) => ({ node, variant: net.steps[i].kernel.variant, runsOn: net.steps[i].runsOn, ms: median(times[i]) }));
  const opTypes = [...new Set(graph.nodes.map((node) => node.op))].map((op) => {
    const members = layers.filter((l) => l.node.op === op);
    return { op, layers: members.length, ms: members.reduce((sum, l) => sum + l.ms, 0) };
  });
  return {
    runs,
    clock,
    layers,
    opTypes: opTypes.sort((a, b) => b.ms - a.ms),
    wholeMs: median(whole),
  };
}
