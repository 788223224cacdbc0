// Max pooling 2x2, stride 2, no pad: odd and even sizes, one-row and one-column outputs, both
// roundings (ceil gives a last window one wide), batches.

import type { PoolCase } from '../case.js';

const SHAPES = [[1, 32, 64, 64], [2, 3, 13, 15], [1, 2, 7, 8], [1, 3, 8, 9], [2, 2, 2, 3], [1, 4, 3, 2], [1, 2, 5, 19], [1, 2, 16, 16], [3, 2, 13, 15]];

export const cases: PoolCase[] = SHAPES.flatMap((shape) => (['ceil', 'floor'] as const).map((rounding): PoolCase =>
  ({ op: 'Pool', shape, method: 'max', kernel: [2, 2], stride: [2, 2], rounding })));
