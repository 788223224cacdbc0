// Plain float64 reference implementations of every op, straight from the formulas in
// engine/graph/ops.ts: naive loops, bounds checked tap by tap, nothing shared with the
// kernels. Below them, the harness the kernel tests use: a seeded PRNG, random tensors, and
// `check`, which runs a kernel and compares it with the reference.

import { formatShape, sizeOf, type Node, type Shape, type Tensor } from '../../engine/graph/graph.js';
import { inferShapes, type Activation, type NodeOf, type Op, type OpName } from '../../engine/graph/ops.js';
import type { CpuKernelFactory } from '../../engine/kernels/cpu/kernel.js';

const FLT_MAX = 3.4028234663852886e38;

function activate(act: Activation, slope: Tensor | undefined, c: number, v: number): number {
  if (act.kind === 'none' || v > 0) return v;
  if (act.kind === 'relu') return act.negativeSlope * v;
  if (act.kind === 'elu') return act.alpha * (Math.exp(v) - 1);
  return (slope!.data.length === 1 ? slope!.data[0] : slope!.data[c]) * v;
}

/** Splits a shape at axis into [product before, size at, product after]. */
function around(shape: Shape, axis: number, count = 1): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis, axis + count)), sizeOf(shape.slice(axis + count))];
}

function map(x: Float32Array, f: (v: number, i: number) => number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i], i);
  return y;
}

/** The outputs of `node` on inputs xs, in float64. */
export function reference(node: Node, xs: Float32Array[], inShapes: Shape[], outShapes: Shape[]): Float64Array[] {
  const x = xs[0];
  const shape = inShapes[0];
  switch (node.op) {
    case 'Conv': {
      const [N, C, H, W] = shape;
      const [, O, OH, OW] = outShapes[0];
      const { kernel: [KH, KW], stride, pad, dilation, group, activation } = node.attrs;
      const { weight, bias, slope } = node.weights;
      const cg = C / group, og = O / group;
      const y = new Float64Array(sizeOf(outShapes[0]));
      for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
        let s = bias ? bias.data[o] : 0;
        for (let ci = 0; ci < cg; ci++) for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
          const c = Math.floor(o / og) * cg + ci;
          const iy = oy * stride[0] + ky * dilation[0] - pad[0];
          const ix = ox * stride[1] + kx * dilation[1] - pad[1];
          if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
          s += weight.data[((o * cg + ci) * KH + ky) * KW + kx] * x[((n * C + c) * H + iy) * W + ix];
        }
        y[((n * O + o) * OH + oy) * OW + ox] = activate(activation, slope, o, s);
      }
      return [y];
    }
    case 'Pool': {
      const [N, C, H, W] = shape;
      const [, , OH, OW] = outShapes[0];
      const g = node.attrs.global;
      const [KH, KW] = g ? [H, W] : node.attrs.kernel;
      const [SH, SW] = g ? [1, 1] : node.attrs.stride;
      const [PT, PL, PB, PR] = g ? [0, 0, 0, 0] : node.attrs.pad;
      const y = new Float64Array(sizeOf(outShapes[0]));
      for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
        // Classify each of the window's taps: inside the padded input, inside the real one.
        let sum = 0, max = -FLT_MAX, padded = 0, real = 0;
        for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
          const iy = oh * SH - PT + ky, ix = ow * SW - PL + kx;
          if (iy >= H + PB || ix >= W + PR) continue;
          padded++;
          if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
          real++;
          const v = x[((n * C + c) * H + iy) * W + ix];
          sum += v;
          if (v > max) max = v;
        }
        const ave = real === 0 ? 0 : sum / (node.attrs.excludePad ? real : padded);
        y[((n * C + c) * OH + oh) * OW + ow] = node.attrs.method === 'max' ? max : ave;
      }
      return [y];
    }
    case 'BatchNorm': {
      const [, C, inner] = around(shape, 1);
      const { mean, variance } = node.weights;
      return [map(x, (v, i) => {
        const c = Math.floor(i / inner) % C;
        return (v - mean.data[c]) / Math.sqrt(variance.data[c] + node.attrs.eps);
      })];
    }
    case 'Scale': {
      const { scale, bias } = node.weights;
      const [, S, inner] = around(shape, node.attrs.axis, scale.shape.length);
      return [map(x, (v, i) => {
        const s = Math.floor(i / inner) % S;
        return v * scale.data[s] + (bias ? bias.data[s] : 0);
      })];
    }
    case 'Relu': return [map(x, (v) => (v > 0 ? v : node.attrs.negativeSlope * v))];
    case 'PRelu': {
      const [, C, inner] = around(shape, 1);
      return [map(x, (v, i) => activate({ kind: 'prelu' }, node.weights.slope, Math.floor(i / inner) % C, v))];
    }
    case 'Elu': return [map(x, (v) => (v > 0 ? v : node.attrs.alpha * (Math.exp(v) - 1)))];
    case 'Sigmoid': return [map(x, (v) => 1 / (1 + Math.exp(-v)))];
    case 'TanH': return [map(x, (v) => Math.tanh(v))];
    case 'Power': return [map(x, (v) => (node.attrs.shift + node.attrs.scale * v) ** node.attrs.power)];
    case 'Clamp': return [map(x, (v) => (v < node.attrs.min ? node.attrs.min : v > node.attrs.max ? node.attrs.max : v))];
    case 'Dropout': case 'Reshape': case 'Flatten': return [map(x, (v) => v)];
    case 'Split': return node.outputs.map(() => map(x, (v) => v));
    case 'Eltwise': {
      const { operation, coeffs, activation } = node.attrs;
      const C = shape[1] ?? 1, inner = sizeOf(shape.slice(2));
      return [map(x, (_, i) => {
        let r = operation === 'sum' ? 0 : operation === 'prod' ? 1 : -Infinity;
        xs.forEach((xt, t) => {
          if (operation === 'sum') r += (coeffs.length ? coeffs[t] : 1) * xt[i];
          else if (operation === 'prod') r *= xt[i];
          else r = Math.max(r, xt[i]);
        });
        return activate(activation, node.weights.slope, Math.floor(i / inner) % C, r);
      })];
    }
    case 'InnerProduct': {
      const [M, K] = around(shape, node.attrs.axis, shape.length);
      const { outputs: NO, transpose } = node.attrs;
      const { weight, bias } = node.weights;
      const y = new Float64Array(M * NO);
      for (let m = 0; m < M; m++) for (let n = 0; n < NO; n++) {
        let s = bias ? bias.data[n] : 0;
        for (let k = 0; k < K; k++) s += x[m * K + k] * weight.data[transpose ? k * NO + n : n * K + k];
        y[m * NO + n] = s;
      }
      return [y];
    }
    case 'Softmax': {
      const [outer, C, inner] = around(shape, node.attrs.axis);
      const y = new Float64Array(x.length);
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
        const at = (c: number) => (o * C + c) * inner + i;
        let max = -Infinity, sum = 0;
        for (let c = 0; c < C; c++) max = Math.max(max, x[at(c)]);
        for (let c = 0; c < C; c++) sum += Math.exp(x[at(c)] - max);
        for (let c = 0; c < C; c++) y[at(c)] = Math.exp(x[at(c)] - max) / sum;
      }
      return [y];
    }
    case 'Concat': {
      // Row o of the output (the dims before axis) is row o of each input in turn.
      const [outer, , inner] = around(outShapes[0], node.attrs.axis);
      const y: number[] = [];
      for (let o = 0; o < outer; o++) {
        xs.forEach((xt, t) => {
          const row = inShapes[t][node.attrs.axis] * inner;
          for (let i = 0; i < row; i++) y.push(xt[o * row + i]);
        });
      }
      return [Float64Array.from(y)];
    }
    case 'Slice': {
      const { axis } = node.attrs;
      const [outer, , inner] = around(shape, axis);
      let start = 0;
      return outShapes.map((s) => {
        const y = new Float64Array(sizeOf(s));
        for (let o = 0; o < outer; o++) for (let k = 0; k < s[axis]; k++) for (let i = 0; i < inner; i++) {
          y[(o * s[axis] + k) * inner + i] = x[(o * shape[axis] + start + k) * inner + i];
        }
        start += s[axis];
        return y;
      });
    }
  }
}

// ---- harness ----

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random tensor with values uniform in [lo, hi). */
export function tensor(rand: () => number, shape: Shape, lo = -1, hi = 1): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rand();
  return { shape, data };
}

/** A node of op K named after it, reading values x0, x1 ... and writing y0, y1 ... */
export function makeNode<K extends OpName>(op: K, attrs: Extract<Op, { op: K }>['attrs'],
  weights: Extract<Op, { op: K }>['weights'], inputs = 1, outputs = 1): NodeOf<K> {
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  return { name: op.toLowerCase(), op, inputs: names('x', inputs), outputs: names('y', outputs), attrs, weights } as unknown as NodeOf<K>;
}

function describe(node: Node, inShapes: Shape[]): string {
  const weights = Object.entries(node.weights as Record<string, Tensor | undefined>)
    .filter(([, t]) => t !== undefined).map(([k, t]) => `${k}${formatShape(t!.shape)}`).join(' ');
  return `${node.op} '${node.name}' on ${inShapes.map(formatShape).join(', ')} attrs ${JSON.stringify(node.attrs)}`
    + (weights ? ` weights ${weights}` : '');
}

/**
 * Runs `factory`'s kernel for `node` on `inputs` and compares every output element with the
 * reference: |got - want| <= 1e-4 * max(1, |want|). Outputs start as NaN, so an element the
 * kernel never writes fails; the inputs must come back unchanged. Returns the output shapes.
 */
export function check<N extends Node>(factory: CpuKernelFactory<N>, node: N, inputs: Tensor[]): Shape[] {
  const inShapes = inputs.map((t) => t.shape);
  const outShapes = inferShapes(node, inShapes);
  const xs = inputs.map((t) => t.data.slice());
  const ys = outShapes.map((s) => new Float32Array(sizeOf(s)).fill(NaN));
  factory(node, inShapes, outShapes)(xs, ys);
  const want = reference(node, inputs.map((t) => t.data), inShapes, outShapes);
  xs.forEach((x, t) => {
    if (x.some((v, i) => !Object.is(v, inputs[t].data[i]))) throw new Error(`${describe(node, inShapes)}: input ${t} was modified`);
  });
  ys.forEach((y, t) => {
    let worst = -1, worstExcess = 0;
    for (let i = 0; i < y.length; i++) {
      const excess = Math.abs(y[i] - want[t][i]) - 1e-4 * Math.max(1, Math.abs(want[t][i]));
      if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) { worst = i; worstExcess = excess; }
    }
    if (worst >= 0) {
      const at = outShapes[t].map((_, d) => Math.floor(worst / sizeOf(outShapes[t].slice(d + 1))) % outShapes[t][d]);
      throw new Error(`${describe(node, inShapes)}: output ${t} ${formatShape(outShapes[t])} at ${formatShape(at)} `
        + `got ${y[worst]}, want ${want[t][worst]} (|diff| ${Math.abs(y[worst] - want[t][worst])}, `
        + `tolerance 1e-4 * max(1, |want|))`);
    }
  });
  return outShapes;
}

// ---- the kernel tests' problems, as data, so every backend's tests run the same ones ----
// (the shapes and attributes of test/kernels/*.test.ts; the random values come from `rand`).

/** A node and its inputs, named for a test. */
export interface Problem {
  label: string;
  node: Node;
  inputs: Tensor[];
}

export interface ConvCase {
  n?: number; c: number; h: number; w: number; o: number; k: [number, number];
  stride?: [number, number]; pad?: [number, number, number, number]; dilation?: [number, number];
  group?: number; bias?: boolean; act?: Activation; sharedSlope?: boolean;
}

/** Every fused activation, as the Conv and Eltwise tests sweep them. */
export const FUSED_ACTIVATIONS: { act: Activation; sharedSlope?: boolean }[] = [
  { act: { kind: 'none' } },
  { act: { kind: 'relu', negativeSlope: 0 } },
  { act: { kind: 'relu', negativeSlope: 0.1 } },
  { act: { kind: 'elu', alpha: 1 } },
  { act: { kind: 'elu', alpha: 0.3 } },
  { act: { kind: 'prelu' } },
  { act: { kind: 'prelu' }, sharedSlope: true },
];

const GENERAL_CONV: ConvCase[] = [
  { n: 2, c: 3, o: 5, h: 13, w: 15, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 4, o: 6, h: 13, w: 15, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 3, o: 4, h: 7, w: 9, k: [5, 3], stride: [2, 1], pad: [2, 1, 0, 3] },
  { c: 4, o: 4, h: 13, w: 13, k: [3, 3], dilation: [2, 2], pad: [2, 2, 2, 2] },
  { n: 3, c: 5, o: 3, h: 15, w: 13, k: [3, 3], dilation: [2, 2], stride: [2, 2], pad: [0, 1, 2, 3] },
  { c: 6, o: 4, h: 9, w: 7, k: [3, 3], group: 2, pad: [1, 1, 1, 1] },
  { c: 6, o: 9, h: 11, w: 10, k: [3, 2], dilation: [2, 1], group: 3, pad: [1, 0, 2, 1] },
  { c: 8, o: 6, h: 13, w: 15, k: [1, 1], stride: [2, 2] },
  { n: 3, c: 3, o: 4, h: 8, w: 8, k: [2, 2], stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 2, o: 3, h: 5, w: 5, k: [5, 5] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: true },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: false },
  { n: 2, c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 6, o: 6, h: 7, w: 9, k: [3, 3], group: 6, pad: [0, 1, 1, 0] },
  { n: 2, c: 16, o: 13, h: 7, w: 9, k: [1, 1], bias: false },
  { c: 32, o: 64, h: 32, w: 32, k: [1, 1] },
  ...FUSED_ACTIVATIONS.map((a): ConvCase => ({ n: 2, c: 4, o: 6, h: 9, w: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ...a })),
  // RMNet's stem; rows wider than the CPU's bands; taps that never reach inside the input.
  { c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], act: { kind: 'relu', negativeSlope: 0 } },
  { c: 2, o: 5, h: 3, w: 300, k: [1, 3], pad: [0, 1, 0, 1] },
  { n: 2, c: 3, o: 7, h: 9, w: 130, k: [3, 3], stride: [1, 2], pad: [1, 1, 1, 1], act: { kind: 'elu', alpha: 1 } },
  { c: 2, o: 3, h: 2, w: 2, k: [5, 5], pad: [3, 3, 0, 0] },
  { c: 1, o: 1, h: 6, w: 6, k: [3, 3] },
];

const DEPTHWISE_CONV: ConvCase[] = ([
  { n: 2, c: 8, h: 13, w: 15 },
  { c: 8, h: 13, w: 15, stride: [2, 2] },
  { c: 5, h: 7, w: 9, stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 4, h: 9, w: 7, pad: [0, 0, 0, 0] },
  { c: 3, h: 8, w: 10, stride: [1, 2], pad: [2, 1, 0, 2] },
  { c: 4, h: 3, w: 3 },
  { c: 2, h: 2, w: 2 },
  { c: 3, h: 1, w: 5, bias: false },
  { c: 2, h: 6, w: 6, pad: [3, 3, 3, 3] },
  { c: 32, h: 32, w: 32 },
  { n: 2, c: 64, h: 16, w: 16, stride: [2, 2] },
  ...FUSED_ACTIVATIONS.map((a) => ({ n: 2, c: 6, h: 11, w: 9, ...a })),
  { c: 3, h: 5, w: 1 },
  { c: 2, h: 4, w: 1, pad: [0, 2, 0, 0] },
  { n: 3, c: 64, h: 8, w: 8, act: { kind: 'elu', alpha: 1 } },
] as Omit<ConvCase, 'o' | 'k'>[]).map((p): ConvCase => ({ pad: [1, 1, 1, 1], ...p, o: p.c, k: [3, 3], group: p.c }));

const POINTWISE_CONV: ConvCase[] = ([
  { c: 32, o: 64, h: 64, w: 64 },
  { c: 64, o: 128, h: 32, w: 32 },
  { c: 128, o: 256, h: 16, w: 16 },
  { c: 256, o: 128, h: 8, w: 8 },
  { n: 2, c: 256, o: 64, h: 8, w: 8, bias: false },
  { n: 2, c: 16, o: 13, h: 13, w: 15 },
  { c: 1, o: 5, h: 7, w: 9 },
  { c: 7, o: 3, h: 17, w: 19 },
  { n: 3, c: 5, o: 2, h: 1, w: 1 },
  { c: 9, o: 1, h: 3, w: 5 },
  ...FUSED_ACTIVATIONS.map((a) => ({ n: 2, c: 12, o: 10, h: 9, w: 7, ...a })),
] as Omit<ConvCase, 'k'>[]).map((p): ConvCase => ({ ...p, k: [1, 1] }));

/** The Conv tests' cases: any convolution, and the shapes of the depthwise 3x3 and pointwise kernels. */
export const CONV_CASES = { general: GENERAL_CONV, depthwise3x3: DEPTHWISE_CONV, pointwise: POINTWISE_CONV };

export function convProblem(rand: () => number, p: ConvCase): Problem & { node: NodeOf<'Conv'> } {
  const group = p.group ?? 1;
  const act = p.act ?? { kind: 'none' };
  // Weights ~ 1/sqrt(fan-in) keep the outputs O(1), so the tolerance is meaningful.
  const bound = 1 / Math.sqrt((p.c / group) * p.k[0] * p.k[1]);
  const node = makeNode('Conv', {
    kernel: p.k, stride: p.stride ?? [1, 1], pad: p.pad ?? [0, 0, 0, 0], dilation: p.dilation ?? [1, 1],
    outChannels: p.o, group, activation: act,
  }, {
    weight: tensor(rand, [p.o, p.c / group, ...p.k], -bound, bound),
    ...(p.bias === false ? {} : { bias: tensor(rand, [p.o], -0.5, 0.5) }),
    ...(act.kind === 'prelu' ? { slope: tensor(rand, [p.sharedSlope ? 1 : p.o], 0, 0.5) } : {}),
  });
  const label = `[${p.n ?? 1},${p.c},${p.h},${p.w}] -> ${p.o} k${p.k} s${p.stride ?? [1, 1]} pad${p.pad ?? [0, 0, 0, 0]}`
    + ` d${p.dilation ?? [1, 1]} g${group}${p.bias === false ? ' nobias' : ''} ${JSON.stringify(act)}${p.sharedSlope ? ' shared slope' : ''}`;
  return { label, node, inputs: [tensor(rand, [p.n ?? 1, p.c, p.h, p.w])] };
}

export const POOL_DEFAULTS: NodeOf<'Pool'>['attrs'] = {
  kernel: [3, 3], stride: [2, 2], pad: [0, 0, 0, 0], method: 'max', global: false, rounding: 'ceil', excludePad: false,
};

/** The Pool tests' cases: the input shape and what differs from a 3x3 stride-2 ceil max pool. */
export const POOL_CASES: ({ shape: number[] } & Partial<NodeOf<'Pool'>['attrs']>)[] = [
  { shape: [2, 3, 13, 15], method: 'max' },
  { shape: [1, 4, 13, 13], method: 'max', pad: [1, 1, 1, 1] },
  { shape: [2, 3, 13, 15], method: 'ave', pad: [1, 1, 1, 1] },
  { shape: [1, 3, 14, 12], method: 'ave', pad: [1, 1, 1, 1] },
  { shape: [1, 3, 13, 15], method: 'ave', pad: [1, 1, 1, 1], excludePad: true },
  { shape: [2, 2, 7, 9], method: 'ave', kernel: [2, 2], pad: [0, 0, 1, 1] },
  { shape: [2, 2, 7, 9], method: 'max', kernel: [2, 3], stride: [1, 2], pad: [1, 0, 0, 2] },
  { shape: [1, 3, 7, 9], method: 'ave', kernel: [3, 2], stride: [2, 3], pad: [2, 1, 0, 1], excludePad: true },
  { shape: [1, 3, 13, 15], method: 'ave', pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [3, 2, 13, 15], method: 'max', kernel: [2, 2], rounding: 'floor' },
  { shape: [1, 2, 9, 10], method: 'max', kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [1, 2, 5, 5], method: 'ave', kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 5], method: 'max', kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], method: 'ave', kernel: [2, 2], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], method: 'ave', kernel: [3, 3], stride: [2, 2], pad: [2, 2, 2, 2], excludePad: true },
  { shape: [1, 2, 5, 6], method: 'max', kernel: [3, 2], stride: [1, 1], pad: [2, 1, 2, 1] },
  { shape: [3, 4, 7, 9], method: 'ave', global: true },
  { shape: [3, 4, 7, 9], method: 'max', global: true },
  { shape: [2, 5, 1, 1], method: 'ave', global: true },
  { shape: [1, 32, 64, 64], method: 'max' },
  { shape: [1, 64, 8, 8], method: 'ave', global: true, kernel: [1, 1], pad: [1, 1, 1, 1] },
];

export type EltwiseCase = { shape: number[]; inputs: number; operation: NodeOf<'Eltwise'>['attrs']['operation']; coeffs?: number[];
  act?: Activation; sharedSlope?: boolean };

export const ELTWISE_CASES: EltwiseCase[] = [
  { shape: [2, 5, 7, 9], inputs: 2, operation: 'sum' },
  { shape: [2, 5, 7, 9], inputs: 3, operation: 'sum', coeffs: [1, -1, 0.5] },
  { shape: [3, 13], inputs: 2, operation: 'sum', coeffs: [2, -0.25] },
  { shape: [2, 5, 7, 9], inputs: 3, operation: 'prod' },
  { shape: [1, 4, 15], inputs: 2, operation: 'max' },
  { shape: [2, 3, 4, 5], inputs: 4, operation: 'max' },
  ...FUSED_ACTIVATIONS.slice(1).map((a): EltwiseCase => ({ shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', ...a })),
  { shape: [3, 6], inputs: 2, operation: 'prod', act: { kind: 'prelu' } },
  { shape: [2, 3, 7, 9], inputs: 3, operation: 'max', act: { kind: 'elu', alpha: 0.5 } },
  { shape: [1, 64, 32, 32], inputs: 2, operation: 'sum', act: { kind: 'elu', alpha: 1 } },
  { shape: [2, 5], inputs: 2, operation: 'sum', coeffs: [0.5, 1.5], act: { kind: 'elu', alpha: 0.3 } },
  { shape: [2, 5], inputs: 2, operation: 'sum', coeffs: [1, 1], act: { kind: 'elu', alpha: 0.3 } },
  { shape: [7], inputs: 2, operation: 'sum', act: { kind: 'prelu' }, sharedSlope: true },
];

/** The elementwise activation tests' nodes and shapes. */
export const ELEMENTWISE_NODES: Node[] = [
  makeNode('Relu', { negativeSlope: 0 }, {}),
  makeNode('Relu', { negativeSlope: 0.2 }, {}),
  makeNode('Elu', { alpha: 1 }, {}),
  makeNode('Elu', { alpha: 0.3 }, {}),
  makeNode('Sigmoid', {}, {}),
  makeNode('TanH', {}, {}),
  makeNode('Power', { power: 2, scale: 0.5, shift: 1 }, {}),
  makeNode('Power', { power: 0.5, scale: 0.5, shift: 3 }, {}),
  makeNode('Power', { power: -1.5, scale: -0.25, shift: 2 }, {}),
  makeNode('Power', { power: 1, scale: -2, shift: 0.3 }, {}),
  makeNode('Clamp', { min: -0.5, max: 1.5 }, {}),
];

export const ELEMENTWISE_SHAPES = [[2, 5, 7, 9], [3, 13], [1, 4, 15]];

export interface InnerProductCase { shape: number[]; axis: number; outputs: number; transpose?: boolean; bias?: boolean }

/** An InnerProduct with weights ~ 1/sqrt(K) (outputs O(1)) and its input. */
export function innerProductProblem(rand: () => number, { shape, axis, outputs, transpose = false, bias = true }: InnerProductCase): Problem {
  const K = sizeOf(shape.slice(axis));
  const bound = 1 / Math.sqrt(K);
  const node = makeNode('InnerProduct', { axis, outputs, transpose }, {
    weight: tensor(rand, transpose ? [K, outputs] : [outputs, K], -bound, bound),
    ...(bias ? { bias: tensor(rand, [outputs]) } : {}),
  });
  return { label: `[${shape}] axis ${axis} -> ${outputs}${transpose ? ' transposed' : ''}${bias ? '' : ' no bias'}`, node, inputs: [tensor(rand, shape)] };
}

/** Every kernel test's problems (but Conv's: CONV_CASES), by op, the random values drawn from `rand`. */
export function kernelProblems(rand: () => number): Record<string, Problem[]> {
  const problem = (node: Node, inputs: Tensor[], label = `${node.op} ${inputs.map((t) => formatShape(t.shape)).join(' ')} ${JSON.stringify(node.attrs)}`): Problem =>
    ({ label, node, inputs });
  const scales: { shape: number[]; axis: number; scale: number[]; bias: boolean }[] = [
    { shape: [2, 5, 7, 9], axis: 1, scale: [5], bias: true },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5], bias: false },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5, 7], bias: true },
    { shape: [3, 4, 7, 9], axis: 0, scale: [3], bias: true },
    { shape: [3, 4, 7, 9], axis: 2, scale: [7, 9], bias: true },
    { shape: [3, 4, 7, 9], axis: 3, scale: [9], bias: false },
    { shape: [3, 13], axis: 1, scale: [13], bias: true },
  ];
  const innerProducts: InnerProductCase[] = [
    { shape: [2, 8, 3, 3], axis: 1, outputs: 10 },
    { shape: [3, 5, 3, 3], axis: 1, outputs: 7, transpose: true },
    { shape: [2, 3, 5, 4], axis: 2, outputs: 6, bias: false },
    { shape: [2, 3, 5, 4], axis: 2, outputs: 6, transpose: true, bias: false },
    { shape: [6, 7], axis: 0, outputs: 3 },
    { shape: [1, 13], axis: 1, outputs: 1, transpose: true },
    { shape: [2, 256, 1, 1], axis: 1, outputs: 128 },
    { shape: [3, 128, 3, 3], axis: 1, outputs: 256, transpose: true },
  ];
  return {
    elementwise: ELEMENTWISE_NODES.flatMap((node) => ELEMENTWISE_SHAPES.map((shape) => problem(node, [tensor(rand, shape, -3, 3)]))),
    PRelu: ELEMENTWISE_SHAPES.flatMap((shape) => [false, true].map((shared) =>
      problem(makeNode('PRelu', {}, { slope: tensor(rand, [shared ? 1 : shape[1]], -0.5, 0.5) }), [tensor(rand, shape, -3, 3)],
        `${formatShape(shape)} ${shared ? 'shared slope' : 'per-channel slopes'}`))),
    BatchNorm: ([[[2, 5, 7, 9], 1e-5], [[3, 13], 1e-3], [[1, 4, 15], 0.1]] as const).map(([shape, eps]) => problem(
      makeNode('BatchNorm', { eps }, { mean: tensor(rand, [shape[1]], -2, 2), variance: tensor(rand, [shape[1]], 0.05, 3) }),
      [tensor(rand, [...shape], -3, 3)])),
    Scale: scales.map(({ shape, axis, scale, bias }) => problem(makeNode('Scale', { axis }, {
      scale: tensor(rand, scale, -2, 2), ...(bias ? { bias: tensor(rand, scale) } : {}),
    }), [tensor(rand, shape, -3, 3)], `${formatShape(shape)} axis ${axis} scale ${formatShape(scale)}${bias ? ' with bias' : ''}`)),
    Eltwise: ELTWISE_CASES.map((p) => {
      const act = p.act ?? { kind: 'none' };
      return problem(makeNode('Eltwise', { operation: p.operation, coeffs: p.coeffs ?? [], activation: act },
        act.kind === 'prelu' ? { slope: tensor(rand, [p.sharedSlope ? 1 : p.shape[1] ?? 1], 0, 0.5) } : {}, p.inputs),
      Array.from({ length: p.inputs }, () => tensor(rand, p.shape, -2, 2)));
    }),
    Pool: POOL_CASES.map(({ shape, ...attrs }) => problem(makeNode('Pool', { ...POOL_DEFAULTS, ...attrs }, {}), [tensor(rand, shape)])),
    InnerProduct: innerProducts.map((c) => {
      const { node, inputs } = innerProductProblem(rand, c);
      return problem(node, inputs);
    }),
    Softmax: [
      { shape: [2, 5, 3, 4], axis: 1, range: 3 }, { shape: [2, 3, 7], axis: 2, range: 3 }, { shape: [3, 13], axis: 1, range: 3 },
      { shape: [4, 3, 5], axis: 0, range: 3 }, { shape: [2, 2, 7, 9], axis: 1, range: 3 }, { shape: [2, 6, 5], axis: 1, range: 200 },
      { shape: [2, 3, 9], axis: 2, range: 200 }, { shape: [1, 1, 4], axis: 1, range: 3 },
    ].map(({ shape, axis, range }) => problem(makeNode('Softmax', { axis }, {}), [tensor(rand, shape, -range, range)])),
    Concat: [
      { axis: 1, shapes: [[2, 3, 4, 5], [2, 1, 4, 5], [2, 5, 4, 5]] }, { axis: 2, shapes: [[2, 3, 4, 5], [2, 3, 2, 5]] },
      { axis: 0, shapes: [[1, 3, 2], [2, 3, 2]] }, { axis: 3, shapes: [[2, 2, 3, 1], [2, 2, 3, 4], [2, 2, 3, 2]] },
      { axis: 1, shapes: [[3, 7], [3, 2]] }, { axis: 1, shapes: [[2, 4, 3, 3]] },
    ].map(({ axis, shapes }) => problem(makeNode('Concat', { axis }, {}, shapes.length), shapes.map((s) => tensor(rand, s)))),
    Slice: [
      { shape: [2, 6, 4, 5], axis: 1, points: [], outputs: 3 }, { shape: [2, 7, 4, 5], axis: 1, points: [1, 4], outputs: 3 },
      { shape: [2, 3, 7, 5], axis: 2, points: [3], outputs: 2 }, { shape: [2, 3, 8, 5], axis: 2, points: [], outputs: 2 },
      { shape: [3, 4, 2, 9], axis: 3, points: [2, 3, 7], outputs: 4 }, { shape: [4, 3, 5], axis: 0, points: [3], outputs: 2 },
    ].map(({ shape, axis, points, outputs }) => problem(makeNode('Slice', { axis, points }, {}, 1, outputs), [tensor(rand, shape)])),
    copies: [
      makeNode('Reshape', { shape: [0, -1], axis: 0, numAxes: -1 }, {}),
      makeNode('Flatten', { axis: 1, endAxis: 3 }, {}),
      makeNode('Dropout', {}, {}),
      makeNode('Split', {}, {}, 1, 3),
    ].map((node) => problem(node, [tensor(rand, [2, 3, 5, 7])], `${node.op} ${JSON.stringify(node.attrs)} into ${node.outputs.length}`)),
  };
}
