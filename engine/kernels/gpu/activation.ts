// The activations, written once as kernel code: Conv and Eltwise end with it (fused by
// `fuseActivations`), and the Relu, PRelu and Elu kernels are nothing else. Applied in place
// to the local `v` of channel `c`:
//   relu, prelu:  v = v > 0 ? v : slope * v          (prelu: one slope per channel, actSlope[c])
//   elu:          v = v > 0 ? v : alpha * (exp(v) - 1)
// exp(v) - 1 for v < 0 is arithmetic only (Math.exp on gpu.js's WebAssembly backend is a call
// into JavaScript per lane, ~30 ns a value): with r = max(v, -18) / 32,
//   a = exp(r) - 1 = r (1 + r (1/2! + r (1/3! + ... r/8!)))     (truncation < 3e-8 relative)
// then a <- a (2 + a) five times, which is (1 + a)^2 - 1: exp(2r) - 1. Each step keeps a's
// relative error (it is multiplied by 2(1 + a)/(2 + a) <= 1 for a in (-1, 0]), where squaring
// exp(r) would double it each time. Below -18, float32(exp(v) - 1) is -1 anyway.

import type { KernelActivation } from '../../lower/kernel-node.js';

export interface ActivationCode {
  /** Statements updating `v` (empty for none). */
  code: string;
  constants: Record<string, Float32Array>;
}

/** exp(actR) - 1 by Horner: actR * (1/1! + actR * (1/2! + ... actR * (1/8!))). */
const EXPM1 = [1, 2, 6, 24, 120, 720, 5040, 40320].reduceRight((inner, f) => `actR * (${1 / f}${inner && ` + ${inner}`})`, '');

/** Kernel code applying `act` to the local `v` (a `let`) of channel `c` (an expression). */
export function activationCode(act: KernelActivation, c: string): ActivationCode {
  switch (act.kind) {
    case 'none':
      return { code: '', constants: {} };
    case 'relu':
      return { code: `if (v < 0) {\n    v = v * ${act.negativeSlope};\n  }`, constants: {} };
    case 'prelu':
      return { code: `if (v < 0) {\n    v = v * this.constants.actSlope[${c}];\n  }`, constants: { actSlope: act.slope } };
    case 'elu':
      return {
        code: `if (v < 0) {
    const actR = Math.max(v, -18) * 0.03125;
    let actA = ${EXPM1};
    actA = actA * (2 + actA);
    actA = actA * (2 + actA);
    actA = actA * (2 + actA);
    actA = actA * (2 + actA);
    actA = actA * (2 + actA);
    v = ${act.alpha} * actA;
  }`,
        constants: {},
      };
  }
}
