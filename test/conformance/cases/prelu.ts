// PRelu with one slope per channel and one shared slope, on each elementwise shape.

import { ELEMENTWISE_SHAPES, type PReluCase } from '../case.js';

export const cases: PReluCase[] = ELEMENTWISE_SHAPES.flatMap((shape) => [false, true].map((shared): PReluCase => ({ op: 'PRelu', shape, shared })));
