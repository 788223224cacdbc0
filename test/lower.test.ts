// The lowering stage: which variant each node gets (the one place that decides it, for every
// backend), the canonical parameters it hands the kernels, and what whole models lower to.
import { describe, expect, it } from 'vitest';
import { compile } from '../engine/compile.js';
import type { Node, Shape } from '../engine/graph/graph.js';
import { inferShapes } from '../engine/graph/ops.js';
import { kernelNode, variantsOf } from '../engine/lower/index.js';
import type { KernelNode, KernelOf, Variant } from '../engine/lower/kernel-node.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { build, POOL_DEFAULTS, type ConvCase, type EltwiseCase, type PoolCase } from './conformance/case.js';
import { MTCNN_DIR, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from './helpers/shared.js';
import { makeNode, prng, tensor } from './kernels/reference.js';

const rand = prng(43);

/** The kernel node lower() would make of `node` on inputs of `inShapes`. */
function lowered(node: Node, inShapes: Shape[]): KernelNode {
  return kernelNode(node, variantsOf(node, inShapes)[0], inShapes, inferShapes(node, inShapes));
}
const variantOf = (c: ConvCase | EltwiseCase | PoolCase) => {
  const { node, inputs } = build(rand, c);
  return lowered(node, inputs.map((t) => t.shape)).variant;
};
const conv = (c: Omit<ConvCase, 'op'>): ConvCase => ({ op: 'Conv', ...c });

describe('variant selection', () => {
  it('convolution: pointwise, depthwise 3x3 (stride 1, any stride), im2col for one group, direct for the rest', () => {
    const picks: [Omit<ConvCase, 'op'>, Variant][] = [
      [{ c: 32, o: 64, h: 64, w: 64, k: [1, 1] }, 'conv-pointwise'],
      [{ c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, pad: [1, 1, 1, 1] }, 'conv-depthwise3x3s1'],
      [{ c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, stride: [2, 2] }, 'conv-depthwise3x3'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 2] }, 'conv-depthwise3x3'],
      [{ c: 4, o: 8, h: 9, w: 9, k: [3, 3], group: 4 }, 'conv-direct'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, dilation: [2, 2] }, 'conv-direct'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 2 }, 'conv-direct'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [1, 1], stride: [2, 2] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [1, 1], pad: [0, 0, 1, 0] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [1, 1], group: 2 }, 'conv-direct'],
      [{ c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] }, 'conv-im2col'],
    ];
    expect(picks.map(([c]) => variantOf(conv(c)))).toEqual(picks.map(([, v]) => v));
  });

  it('eltwise: a plain sum of two, or the general kernel', () => {
    const sum = (p: Partial<EltwiseCase>): EltwiseCase => ({ op: 'Eltwise', shape: [1, 2, 3, 3], inputs: 2, operation: 'sum', ...p });
    expect([sum({}), sum({ coeffs: [1, 1] }), sum({ coeffs: [1, -1] }), sum({ inputs: 3 }), sum({ operation: 'prod' })].map(variantOf))
      .toEqual(['eltwise-sum2', 'eltwise-sum2', 'eltwise', 'eltwise', 'eltwise']);
  });

  it('pooling: 2x2/2 max, any max, any average; global pooling is a window over the plane', () => {
    const pool = (p: Partial<PoolCase>): PoolCase => ({ op: 'Pool', shape: [1, 2, 8, 8], method: 'max', ...p });
    expect([pool({ kernel: [2, 2] }), pool({}), pool({ kernel: [2, 2], pad: [0, 0, 1, 1] }), pool({ shape: [1, 2, 2, 2], global: true }), pool({ method: 'ave', kernel: [2, 2] })]
      .map(variantOf)).toEqual(['pool-max2x2s2', 'pool-max', 'pool-max', 'pool-max', 'pool-ave']);
    const global = lowered(makeNode('Pool', { ...POOL_DEFAULTS, global: true, method: 'ave', pad: [1, 1, 1, 1] }, {}), [[2, 3, 7, 9]]) as KernelOf<'pool-ave'>;
    expect(global.pool).toEqual({ kernel: [7, 9], stride: [1, 1], pad: [0, 0, 0, 0], excludePad: false });
  });

  it('views: Reshape, Flatten, Dropout, Split always; Slice and Concat with one outer row', () => {
    const one = (node: Node, shapes: Shape[]) => { const k = lowered(node, shapes); return k.variant === 'view' ? [k.variant, k.view] : [k.variant]; };
    expect(one(makeNode('Reshape', { shape: [0, -1], axis: 0, numAxes: -1 }, {}), [[2, 3, 4]])).toEqual(['view', { into: 'input', offsets: [0] }]);
    expect(one(makeNode('Split', {}, {}, 1, 2), [[2, 3]])).toEqual(['view', { into: 'input', offsets: [0, 0] }]);
    expect(one(makeNode('Slice', { axis: 1, points: [1] }, {}, 1, 2), [[1, 3, 2, 2]])).toEqual(['view', { into: 'input', offsets: [0, 4] }]);
    expect(one(makeNode('Slice', { axis: 1, points: [1] }, {}, 1, 2), [[2, 3, 2, 2]])).toEqual(['slice']);
    expect(one(makeNode('Concat', { axis: 0 }, {}, 2), [[1, 3], [2, 3]])).toEqual(['view', { into: 'output', offsets: [0, 3] }]);
    expect(one(makeNode('Concat', { axis: 1 }, {}, 2), [[2, 1], [2, 3]])).toEqual(['concat']);
  });

  it('refuses a variant that cannot run the node, naming the ones that can', () => {
    const { node, inputs } = build(rand, conv({ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 2 }));
    expect(() => kernelNode(node, 'conv-im2col', [inputs[0].shape], inferShapes(node, [inputs[0].shape])))
      .toThrow("layer 'conv' (Conv) cannot run as conv-im2col (it can as conv-direct)");
  });
});

describe('canonical parameters', () => {
  it('BatchNorm is a Scale: x * (1 / sqrt(var + eps)) - mean / sqrt(var + eps)', () => {
    const node = makeNode('BatchNorm', { eps: 0.01 }, { mean: { shape: [2], data: Float32Array.of(1, -2) }, variance: { shape: [2], data: Float32Array.of(0.99, 3.99) } });
    const k = lowered(node, [[1, 2, 3]]) as KernelOf<'scale'>;
    expect([k.variant, k.outer, k.channels, k.inner]).toEqual(['scale', 1, 2, 3]);
    expect(Array.from(k.scale)).toEqual([1, 0.5]);
    expect(Array.from(k.bias)).toEqual([-1, 1]);
  });

  it('a shared prelu slope becomes one per channel: in a Conv, an Eltwise and a PRelu', () => {
    const shared = { shape: [1], data: Float32Array.of(0.25) };
    const c = lowered(makeNode('Conv', { kernel: [1, 1], stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], outChannels: 3, group: 1, activation: { kind: 'prelu' } },
      { weight: tensor(rand, [3, 2, 1, 1]), slope: shared }), [[1, 2, 4, 4]]) as KernelOf<'conv-pointwise'>;
    const e = lowered(makeNode('Eltwise', { operation: 'sum', coeffs: [], activation: { kind: 'prelu' } }, { slope: shared }, 2), [[1, 3, 2], [1, 3, 2]]) as KernelOf<'eltwise-sum2'>;
    const p = lowered(makeNode('PRelu', {}, { slope: shared }), [[2, 3, 5]]) as KernelOf<'prelu'>;
    for (const act of [c.conv.activation, e.activation]) expect(act).toEqual({ kind: 'prelu', slope: Float32Array.of(0.25, 0.25, 0.25) });
    expect([p.channels, p.inner, Array.from(p.slope)]).toEqual([3, 5, [0.25, 0.25, 0.25]]);
  });

  it('absent biases are zeros; eltwise coefficients are one per input; an InnerProduct weight is [N, K]', () => {
    const c = lowered(makeNode('Conv', { kernel: [3, 3], stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], outChannels: 2, group: 1, activation: { kind: 'none' } },
      { weight: tensor(rand, [2, 1, 3, 3]) }), [[1, 1, 5, 5]]) as KernelOf<'conv-im2col'>;
    expect(Array.from(c.conv.bias)).toEqual([0, 0]);
    const e = lowered(makeNode('Eltwise', { operation: 'sum', coeffs: [], activation: { kind: 'none' } }, {}, 3), [[2, 2], [2, 2], [2, 2]]) as KernelOf<'eltwise'>;
    expect(e.coeffs).toEqual([1, 1, 1]);
    const ip = lowered(makeNode('InnerProduct', { axis: 1, outputs: 2, transpose: true }, { weight: { shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) } }), [[4, 3]]) as KernelOf<'inner-product'>;
    expect([ip.M, ip.K, ip.N, Array.from(ip.weight), Array.from(ip.bias)]).toEqual([4, 3, 2, [1, 3, 5, 2, 4, 6], [0, 0]]);
  });

  it('scratch: a depthwise plane with its border, im2col bands of whole rows (a stride off 1 KB), softmax\'s running max and sum', () => {
    const dw = build(rand, conv({ c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, pad: [1, 2, 0, 1] }));
    expect(lowered(dw.node, [dw.inputs[0].shape]).scratch).toBe(14 * 18);
    const stem = build(rand, conv({ c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] }));
    const k = lowered(stem.node, [stem.inputs[0].shape]) as KernelOf<'conv-im2col'>;
    expect([k.band, k.scratch]).toEqual([{ rows: 4, stride: 260 }, 27 * 260]);
    expect(lowered(makeNode('Softmax', { axis: 1 }, {}), [[2, 3, 7]]).scratch).toBe(14);
  });
});

describe('whole models', () => {
  const census = (kernels: KernelNode[]) => Object.fromEntries([...new Set(kernels.map((k) => k.variant))].map((v) => [v, kernels.filter((k) => k.variant === v).length]));

  it('RMNet: every convolution a special shape but the stem', async () => {
    const net = compile(await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL));
    expect(census(net.program.kernels)).toEqual({
      'scale': 1, 'conv-im2col': 1, 'conv-pointwise': 76, 'conv-depthwise3x3s1': 33, 'conv-depthwise3x3': 3,
      'eltwise-sum2': 36, 'pool-max2x2s2': 3, 'pool-max': 1,
    });
  });

  it('MTCNN: P-Net, R-Net, O-Net, and L-Net (its Slice and Concat views for one image, copies for two)', async () => {
    const variants = async (net: string, shape: Shape) => {
      const graph = await loadCaffe(`${MTCNN_DIR}${net}.prototxt`, `${MTCNN_DIR}${net}.caffemodel`);
      return census(compile(graph, { inputShapes: { [graph.inputs[0].name]: shape } }).program.kernels);
    };
    expect(await variants('det1', [1, 3, 144, 192])).toEqual({ 'conv-im2col': 3, 'pool-max2x2s2': 1, 'conv-pointwise': 2, 'softmax': 1 });
    expect(await variants('det2', [4, 3, 24, 24])).toEqual({ 'conv-im2col': 3, 'pool-max': 2, 'inner-product': 3, 'prelu': 1, 'softmax': 1 });
    expect(await variants('det3', [2, 3, 48, 48])).toEqual({ 'conv-im2col': 4, 'pool-max': 2, 'pool-max2x2s2': 1, 'inner-product': 4, 'prelu': 1, 'softmax': 1 });
    expect(await variants('det4', [1, 15, 24, 24])).toEqual({ 'view': 2, 'conv-im2col': 15, 'pool-max': 10, 'inner-product': 11, 'prelu': 6 });
    expect(await variants('det4', [2, 15, 24, 24])).toEqual({ 'slice': 1, 'conv-im2col': 15, 'pool-max': 10, 'concat': 1, 'inner-product': 11, 'prelu': 6 });
  });
});
