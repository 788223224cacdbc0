// Relu with and without a negative slope, on each elementwise shape, values in ±12.

import { ELEMENTWISE_SHAPES, type PlainCase } from '../case.js';

export const cases: PlainCase[] = [{ negativeSlope: 0 }, { negativeSlope: 0.2 }].flatMap((attrs) =>
  ELEMENTWISE_SHAPES.map((shape): PlainCase => ({ op: 'Relu', attrs, shape, range: 12 })));
