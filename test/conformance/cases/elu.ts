// Elu with alpha below, at and above 1, on each elementwise shape, values in ±12 (into saturation).

import { ELEMENTWISE_SHAPES, type PlainCase } from '../case.js';

export const cases: PlainCase[] = [{ alpha: 1 }, { alpha: 0.3 }, { alpha: 1.7 }].flatMap((attrs) =>
  ELEMENTWISE_SHAPES.map((shape): PlainCase => ({ op: 'Elu', attrs, shape, range: 12 })));
