// Clamp, on each elementwise shape.

import { ELEMENTWISE_SHAPES, type PlainCase } from '../case.js';

export const cases: PlainCase[] = [{ min: -0.5, max: 1.5 }].flatMap((attrs) =>
  ELEMENTWISE_SHAPES.map((shape): PlainCase => ({ op: 'Clamp', attrs, shape })));
