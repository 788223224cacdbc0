// The values a mutation writes where a number was: the edges of every integer width, zero and
// negatives, 2^31 and its neighbours, and one past each limit (the defaults and the fuzzer's own).

import { DEFAULT_LIMITS } from '../../engine/limits.js';
import { FUZZ_LIMITS } from '../limits.js';

const EDGES = [0, 1, 2, 3, 7, 8, 255, 256, 65535, 65536, 1_000_000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53];
const JUST_OVER = [...Object.values(DEFAULT_LIMITS), ...Object.values(FUZZ_LIMITS)].map((limit) => Math.floor(limit) + 1);

/** Non-negative integers worth trying. */
export const INTERESTING_COUNTS: readonly number[] = [...EDGES, ...JUST_OVER];

/** Signed integers worth trying. */
export const INTERESTING_INTEGERS: readonly number[] = [...INTERESTING_COUNTS, -1, -2, -(2 ** 31), -(2 ** 31) - 1];

/** Number tokens worth trying in text formats (floats, exponents and the special words included). */
export const INTERESTING_NUMBER_TEXT: readonly string[] = [...INTERESTING_INTEGERS.map(String),
  '0.5', '-0.0', '1e-45', '3.4e38', '3.5e38', '1e308', '1e309', '-1e309', 'nan', 'inf', '-inf', 'NaN', '1e', '0x7fffffff', '00000000001'];
