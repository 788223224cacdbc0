// Plain float64 reference implementations of every op, straight from the formulas in
// engine/graph/ops.ts: naive loops, bounds checked tap by tap, nothing shared with the
// kernels (nor with the lowering: they read the graph node as imported). Below them, what the
// conformance suite (test/conformance) builds on: a seeded PRNG, random tensors, and
// `expectReference`, which compares a kernel's outputs with the reference.

import { formatShape, sizeOf, type Node, type Shape, type Tensor } from '../../engine/graph/graph.js';
import { inferShapes, type Activation, type NodeOf, type Op, type OpName } from '../../engine/graph/ops.js';

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

/** The node, its shapes, attributes and weights' shapes, for a failure message. */
export function describeNode(node: Node, inShapes: Shape[]): string {
  const weights = Object.entries(node.weights as Record<string, Tensor | undefined>)
    .filter(([, t]) => t !== undefined).map(([k, t]) => `${k}${formatShape(t!.shape)}`).join(' ');
  return `${node.op} '${node.name}' on ${inShapes.map(formatShape).join(', ')} attrs ${JSON.stringify(node.attrs)}`
    + (weights ? ` weights ${weights}` : '');
}

/**
 * Compares outputs `ys` of `node` on `inputs` with the float64 reference: every element within
 * 1e-4 * max(1, |want|) (NaN, an element never written, fails). Throws naming the worst element.
 * Returns the output shapes.
 */
export function expectReference(node: Node, inputs: Tensor[], ys: Float32Array[]): Shape[] {
  const inShapes = inputs.map((t) => t.shape);
  const outShapes = inferShapes(node, inShapes);
  const want = reference(node, inputs.map((t) => t.data), inShapes, outShapes);
  ys.forEach((y, t) => {
    if (y.length !== want[t].length) throw new Error(`${describeNode(node, inShapes)}: output ${t} has ${y.length} values, expected ${want[t].length}`);
    let worst = -1, worstExcess = 0;
    for (let i = 0; i < y.length; i++) {
      const excess = Math.abs(y[i] - want[t][i]) - 1e-4 * Math.max(1, Math.abs(want[t][i]));
      if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) { worst = i; worstExcess = excess; }
    }
    if (worst >= 0) {
      const at = outShapes[t].map((_, d) => Math.floor(worst / sizeOf(outShapes[t].slice(d + 1))) % outShapes[t][d]);
      throw new Error(`${describeNode(node, inShapes)}: output ${t} ${formatShape(outShapes[t])} at ${formatShape(at)} `
        + `got ${y[worst]}, want ${want[t][worst]} (|diff| ${Math.abs(y[worst] - want[t][worst])}, `
        + `tolerance 1e-4 * max(1, |want|))`);
    }
  });
  return outShapes;
}
