// PRelu with one slope per channel (axis 1) and one shared slope, on each elementwise shape of rank 2 and up.

import { ELEMENTWISE_SHAPES, type PReluCase } from '../case.js';

export const cases: PReluCase[] = ELEMENTWISE_SHAPES.filter((shape) => shape.length > 1).flatMap((shape) => [false, true].map((shared): PReluCase => ({ op: 'PRelu', shape, shared })));
