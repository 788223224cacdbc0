// Concat by copying (parts interleaved: more than one outer row) along axes 1, 2 and 3, of one
// input, of rank 2; and a concat along axis 0 (which could be a view) copied.

import type { ConcatCase } from '../case.js';

export const cases: ConcatCase[] = [
  { axis: 1, shapes: [[2, 3, 4, 5], [2, 1, 4, 5], [2, 5, 4, 5]] }, { axis: 2, shapes: [[2, 3, 4, 5], [2, 3, 2, 5]] },
  { axis: 3, shapes: [[2, 2, 3, 1], [2, 2, 3, 4], [2, 2, 3, 2]] }, { axis: 1, shapes: [[3, 7], [3, 2]] },
  { axis: 1, shapes: [[2, 4, 3, 3]] }, { axis: 0, shapes: [[1, 3, 2], [2, 3, 2]] },
].map((p): ConcatCase => ({ op: 'Concat', ...p }));
