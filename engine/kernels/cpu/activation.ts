// The activations, written once: the Relu, PRelu and Elu kernels run them, and the epilogues of
// Conv and Eltwise apply them to their results (fused by `fuseActivations`). At plan time an
// Activation becomes a kind and one number per channel:
//   'none':  y = v
//   'leaky': y = v > 0 ? v : param * v                 (relu: negativeSlope; prelu: slope[c])
//   'elu':   y = v > 0 ? v : param * (exp(v) - 1)      (param = alpha)
// Kernels activate whole runs of one channel with `activateRange`, which picks the loop once per
// run: a test of the kind at every value costs more in V8 than the ELU's arithmetic.

import type { KernelActivation } from '../../lower/kernel-node.js';

export interface ChannelActivation {
  kind: 'none' | 'leaky' | 'elu';
  /** The activation's number for each channel. */
  param: Float64Array;
}

/** `act` for `channels` channels (a prelu has one slope per channel). */
export function perChannel(act: KernelActivation, channels: number): ChannelActivation {
  const param = new Float64Array(channels);
  switch (act.kind) {
    case 'none':
      return { kind: 'none', param };
    case 'relu':
      return { kind: 'leaky', param: param.fill(act.negativeSlope) };
    case 'elu':
      return { kind: 'elu', param: param.fill(act.alpha) };
    case 'prelu':
      param.set(act.slope);
      return { kind: 'leaky', param };
  }
}

// exp(v) - 1 for v <= 0 without a call into the runtime (Math.expm1 costs ~5 ns a value):
// with k = round(-STEPS v / ln 2) and r = v + k ln2 / STEPS, so |r| <= ln2 / (2 STEPS) = 0.0054,
//   exp(v) - 1 = s (e^r - 1) + (s - 1),   s = 2^(-k / STEPS) read from a table,
//   e^r - 1 = r (1 + r (1/2 + r/6))      (truncation r^4/24 < 4e-11; relative to the result < 7e-9).
// In float64 the result is within 2e-8 relative of exp(v) - 1, well inside float32's rounding.
// Below v = -18, exp(v) < 2^-25, so float32(exp(v) - 1) is -1: v is clamped there (-Inf gives -1).
const STEPS = 64;
const LOWEST = -18;
const POW2 = Float64Array.from({ length: Math.ceil(-LOWEST * STEPS / Math.LN2) + 1 }, (_, k) => 2 ** (-k / STEPS));
const STEPS_PER_LN2 = STEPS / Math.LN2;
const LN2_PER_STEP = Math.LN2 / STEPS;

function expm1NonPositive(v: number): number {
  const u = v < LOWEST ? LOWEST : v;
  const k = (0.5 - u * STEPS_PER_LN2) | 0;
  const r = u + k * LN2_PER_STEP;
  const s = POW2[k];
  return s * (r * (1 + r * (0.5 + r * (1 / 6)))) + (s - 1);
}

export function elu(v: number, alpha: number): number {
  return v > 0 ? v : alpha * expm1NonPositive(v);
}

export function leaky(v: number, slope: number): number {
  return v > 0 ? v : slope * v;
}

/** Applies channel c's activation in place to y[start, end). */
export function activateRange(y: Float32Array, start: number, end: number, act: ChannelActivation, c: number): void {
  const param = act.param[c];
  if (act.kind === 'elu') {
    for (let i = start; i < end; i++) y[i] = elu(y[i], param);
  } else if (act.kind === 'leaky') {
    for (let i = start; i < end; i++) y[i] = leaky(y[i], param);
  }
}
