// Eltwise over 2+ inputs: sums with and without coefficients, products, maxima, every activation
// (also after a product and a maximum), odd planes, rank 1 and 2 values, 1-element planes.

import { ACTIVATIONS, type EltwiseCase } from '../case.js';

export const cases: EltwiseCase[] = ([
  { shape: [2, 5, 7, 9], inputs: 2, operation: 'sum' },
  { shape: [2, 5, 7, 9], inputs: 3, operation: 'sum', coeffs: [1, -1, 0.5] },
  { shape: [3, 5, 3, 3], inputs: 3, operation: 'sum', coeffs: [0.5, -1, 2] },
  { shape: [3, 13], inputs: 2, operation: 'sum', coeffs: [2, -0.25] },
  { shape: [2, 5, 7, 9], inputs: 3, operation: 'prod' },
  { shape: [1, 7, 5, 1], inputs: 3, operation: 'prod' },
  { shape: [1, 4, 15], inputs: 2, operation: 'max' },
  { shape: [2, 3, 9, 11], inputs: 2, operation: 'max' },
  { shape: [2, 3, 4, 5], inputs: 4, operation: 'max' },
  { shape: [2, 13, 15, 7], inputs: 2, operation: 'sum' },
  { shape: [5, 3], inputs: 2, operation: 'sum' },
  { shape: [1, 1, 1, 3], inputs: 2, operation: 'sum' },
  ...ACTIVATIONS.map((a) => ({ shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', ...a })),
  ...ACTIVATIONS.map((a) => ({ shape: [2, 6, 5, 7], inputs: 2, operation: 'sum', ...a })),
  { shape: [3, 6], inputs: 2, operation: 'prod', act: { kind: 'prelu' } },
  { shape: [2, 3, 7, 9], inputs: 3, operation: 'max', act: { kind: 'elu', alpha: 0.5 } },
  { shape: [1, 64, 32, 32], inputs: 2, operation: 'sum', act: { kind: 'elu', alpha: 1 } },
  { shape: [1, 32, 64, 64], inputs: 2, operation: 'sum', act: { kind: 'elu', alpha: 1 } },
  { shape: [2, 5], inputs: 2, operation: 'sum', coeffs: [0.5, 1.5], act: { kind: 'elu', alpha: 0.3 } },
  { shape: [2, 5], inputs: 2, operation: 'sum', coeffs: [1, 1], act: { kind: 'elu', alpha: 0.3 } },
  { shape: [7], inputs: 2, operation: 'sum', act: { kind: 'prelu' }, sharedSlope: true },
] as Omit<EltwiseCase, 'op'>[]).map((p): EltwiseCase => ({ op: 'Eltwise', ...p }));
