// The contract every input is held to. Exactly one of: it loads (and for a model, runs on a small
// input with finite outputs), or it is refused with one of the parser's own error types whose
// one-line message names the file. Anything else is a finding: another error type (a raw TypeError or
// RangeError from a library, a stack overflow), a message that does not say which file or runs over lines, an input
// that takes longer than the time limit, or one that grows the process's peak RSS by more than a
// bound proportional to the input's size. And every CONTROL_EVERY inputs the first seed, unmutated,
// must still load: a parser that a bad input leaves broken for every later one is a finding too.

import { caseRandom } from './mutate/random.js';
import type { FuzzInput, Target } from './targets/target.js';

/**
 * Per-input time limit: 20 s plus 1 s per MB (a 60 MB caffemodel takes seconds to decode, and
 * the fuzzer shares its machine). The runner kills a child that passes it.
 */
export function timeLimitMs(bytes: number): number {
  return 20_000 + bytes / 1000;
}
/** Peak RSS an input may add: a fixed allowance (the fuzz limits let an input allocate 64 MiB of arena, 16 MiB per tensor) plus 64x its size. */
export const RSS_ALLOWANCE = 192 * 2 ** 20;
export const RSS_PER_INPUT_BYTE = 64;
/** How often (in indices) the unmutated first seed is loaded again. */
export const CONTROL_EVERY = 50;

export interface Verdict {
  target: string;
  seed: number;
  index: number;
  how: string;
  outcome: 'loaded' | 'refused' | 'finding';
  /** The error message (refused), or what is wrong (finding). */
  detail: string;
  ms: number;
  bytes: number;
}

/** Mutant `index` of `target` for `seed`: a pure function of the three. */
export function mutant(target: Target, seeds: FuzzInput[], seed: number, index: number): { input: FuzzInput; how: string } {
  return target.mutate(caseRandom(seed, target.name, index), seeds);
}

/** Judges one mutant; `starting` hears the input's size first (the runner's hang timer). */
export async function judge(target: Target, seeds: FuzzInput[], seed: number, index: number,
  starting?: (bytes: number) => Promise<void>): Promise<Verdict> {
  const { input, how } = mutant(target, seeds, seed, index);
  const bytes = input.files.reduce((sum, file) => sum + file.bytes.length, 0);
  await starting?.(bytes);
  const names = input.files.map((file) => file.name);
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const start = performance.now();
  let outcome: Verdict['outcome'] = 'loaded';
  let detail = '';
  try {
    await target.run(input, names);
  } catch (error) {
    [outcome, detail] = classify(error, target, names);
  }
  const ms = performance.now() - start;
  const growth = process.resourceUsage().maxRSS * 1024 - peakBefore;
  const verdict = { target: target.name, seed, index, how, outcome, detail, ms, bytes };
  if (index % CONTROL_EVERY === CONTROL_EVERY - 1) {
    const control = { files: seeds[0].files.map((file) => ({ ...file })) };
    try {
      await target.run(control, control.files.map((file) => file.name));
    } catch (error) {
      return { ...verdict, outcome: 'finding', detail: `after this input the unmutated first seed no longer loads: ${(error as Error).message}` };
    }
  }
  if (ms > timeLimitMs(bytes)) return { ...verdict, outcome: 'finding', detail: `took ${Math.round(ms)} ms (limit ${timeLimitMs(bytes)}): ${detail}` };
  if (growth > RSS_ALLOWANCE + RSS_PER_INPUT_BYTE * bytes) {
    return { ...verdict, outcome: 'finding', detail: `peak RSS grew by ${Math.round(growth / 2 ** 20)} MiB for a ${bytes}-byte input: ${detail}` };
  }
  return verdict;
}

function classify(error: unknown, target: Target, names: string[]): [Verdict['outcome'], string] {
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof Error ? error.constructor.name : typeof error;
  if (!target.errors.some((type) => error instanceof type)) return ['finding', `uncaught ${kind}: ${message.slice(0, 500)}`];
  if (!names.some((name) => message.includes(name))) return ['finding', `a ${kind} that names no file: ${message.slice(0, 500)}`];
  if (message.includes('\n')) return ['finding', `a ${kind} whose message is not one line: ${message.slice(0, 500)}`];
  return ['refused', message.slice(0, 300)];
}

/** The command that replays one input. */
export function replayCommand(verdict: Pick<Verdict, 'target' | 'seed' | 'index'>): string {
  return `npm run fuzz -- --target ${verdict.target} --seed ${verdict.seed} --index ${verdict.index}`;
}
