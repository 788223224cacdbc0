// What a fuzz target is: seeds read from ../shared, a mutation, and a run that either loads the
// input (every check passed) or throws. The contract (contract.ts) judges what it throws.

import type { Random } from '../mutate/random.js';

/** The files one input consists of (a model is two: the net and its weights). */
export interface FuzzInput {
  files: { name: string; bytes: Uint8Array }[];
}

export type ErrorClass = abstract new (...args: never[]) => Error;

export interface Target {
  name: string;
  /** The project's own error types this parser may refuse an input with. */
  errors: ErrorClass[];
  /** The unmutated inputs, read once. */
  seeds(): Promise<FuzzInput[]>;
  /** A mutant of one of the seeds, and a line saying what was done. */
  mutate(rng: Random, seeds: FuzzInput[]): { input: FuzzInput; how: string };
  /**
   * Loads the input as a user's command would; returns if it loaded and passed every check, throws
   * otherwise. `names` starts with the files' names; a run may add names a message may use for
   * them (a model's own name, as the file gives it).
   */
  run(input: FuzzInput, names: string[]): Promise<void>;
}

/** The seed to mutate (index `i` of `seeds`, picked by the caller's weights) and another to splice from. */
export function pickSeeds(rng: Random, seeds: FuzzInput[], weights?: number[]): [FuzzInput, FuzzInput] {
  const pick = () => {
    if (!weights) return rng.pick(seeds);
    let r = rng.int(weights.reduce((a, b) => a + b, 0));
    for (let i = 0; i < seeds.length; i++) if ((r -= weights[i]) < 0) return seeds[i];
    return seeds[seeds.length - 1];
  };
  return [pick(), pick()];
}

/** `input` with file `i` replaced. */
export function withFile(input: FuzzInput, i: number, bytes: Uint8Array): FuzzInput {
  return { files: input.files.map((file, j) => (j === i ? { name: file.name, bytes } : file)) };
}
