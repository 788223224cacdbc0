// Sums of two inputs with coefficients 1 (given or not): RMNet's residual joins, odd planes,
// rank 1 and 2 values, batches, every activation.

import { ACTIVATIONS, type EltwiseCase } from '../case.js';
import { cases as eltwise } from './eltwise.js';

export const cases: EltwiseCase[] = [
  ...eltwise.filter((p) => p.operation === 'sum' && p.inputs === 2 && (p.coeffs ?? []).every((k) => k === 1)),
  ...ACTIVATIONS.map((a): EltwiseCase => ({ op: 'Eltwise', shape: [1, 8, 4, 4], inputs: 2, operation: 'sum', ...a })),
];
