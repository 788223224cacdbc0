// The limits every fuzz target runs under: the defaults, with the sizes a single input may
// allocate lowered so that "bounded" is cheap to check and thousands of inputs run in minutes.
// Raising a limit never changes what the checks do, only where they trigger.

import type { Limits } from '../engine/limits.js';

export const FUZZ_LIMITS: Partial<Limits> = {
  tensorElements: 2 ** 22,
  arenaBytes: 2 ** 26,
  imagePixels: 2 ** 22,
};
