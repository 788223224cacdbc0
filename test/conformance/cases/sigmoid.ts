// Sigmoid, on each elementwise shape, values in ±12 (into saturation).

import { ELEMENTWISE_SHAPES, type PlainCase } from '../case.js';

export const cases: PlainCase[] = [{}].flatMap((attrs) =>
  ELEMENTWISE_SHAPES.map((shape): PlainCase => ({ op: 'Sigmoid', attrs, shape, range: 12 })));
