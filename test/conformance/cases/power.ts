// Power: whole, fractional and negative powers, negative scales, on each elementwise shape.

import { ELEMENTWISE_SHAPES, type PlainCase } from '../case.js';

export const cases: PlainCase[] = [{ power: 2, scale: 0.5, shift: 1 }, { power: 0.5, scale: 0.5, shift: 3 }, { power: -1.5, scale: -0.25, shift: 2 }, { power: 1, scale: -2, shift: 0.3 }].flatMap((attrs) =>
  ELEMENTWISE_SHAPES.map((shape): PlainCase => ({ op: 'Power', attrs, shape })));
