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
  const outShapes = inferShapes(node, inShapes);
  return kernelNode(node, variantsOf(node, inShapes, outShapes)[0], inShapes, outShapes);
}
const variantOf = (c: ConvCase | EltwiseCase | PoolCase) => {
  const { node, inputs } = build(rand, c);
  return lowered(node, inputs.map((t) => t.shape)).variant;
};
const conv = (c: Omit<ConvCase, 'op'>): ConvCase => ({ op: 'Conv', ...c });

describe('variant selection', () => {
  it('convolution: pointwise, depthwise 3x3 (horizontal stride 1 or 2, pads up to 3), Winograd for 3x3 stride 1 of 8+ channels, then direct for rows of 16 pixels and more, im2col for shorter', () => {
    const picks: [Omit<ConvCase, 'op'>, Variant][] = [
      [{ c: 32, o: 64, h: 64, w: 64, k: [1, 1] }, 'conv-pointwise'],
      [{ c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, pad: [1, 1, 1, 1] }, 'conv-depthwise3x3s1'],
      [{ c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, stride: [2, 2] }, 'conv-depthwise3x3'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 2] }, 'conv-depthwise3x3'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [3, 1] }, 'conv-depthwise3x3'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 3] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 60, k: [3, 3], group: 4, stride: [1, 3] }, 'conv-direct'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, pad: [1, 4, 1, 1] }, 'conv-im2col'],
      [{ c: 4, o: 8, h: 9, w: 9, k: [3, 3], group: 4 }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, dilation: [2, 2] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 2 }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [1, 1], stride: [2, 2] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [1, 1], pad: [0, 0, 1, 0] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 9, k: [1, 1], group: 2 }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 17, k: [3, 3] }, 'conv-im2col'],
      [{ c: 4, o: 4, h: 9, w: 18, k: [3, 3] }, 'conv-direct'],
      [{ c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] }, 'conv-direct'],
      // Below 64 output pixels an image (whatever the batch), only with small transformed weights (16·C·O ≤ 8192 floats).
      [{ n: 64, c: 32, o: 32, h: 4, w: 4, k: [3, 3] }, 'conv-im2col'],
      [{ c: 32, o: 32, h: 10, w: 10, k: [3, 3] }, 'conv-winograd'],
      [{ n: 64, c: 32, o: 32, h: 9, w: 10, k: [3, 3] }, 'conv-im2col'],
      [{ c: 32, o: 32, h: 5, w: 18, k: [3, 3] }, 'conv-direct'],
      [{ c: 16, o: 32, h: 4, w: 4, k: [3, 3] }, 'conv-winograd'],
      [{ c: 16, o: 33, h: 4, w: 4, k: [3, 3] }, 'conv-im2col'],
      [{ c: 32, o: 64, h: 23, w: 23, k: [3, 3], pad: [0, 2, 1, 0] }, 'conv-winograd'],
      [{ c: 7, o: 8, h: 9, w: 18, k: [3, 3] }, 'conv-direct'],
      [{ c: 8, o: 7, h: 9, w: 9, k: [3, 3] }, 'conv-im2col'],
      [{ c: 8, o: 8, h: 3, w: 9, k: [3, 3] }, 'conv-im2col'],
      [{ c: 8, o: 8, h: 9, w: 9, k: [3, 3], stride: [2, 1] }, 'conv-im2col'],
      [{ c: 8, o: 8, h: 9, w: 9, k: [3, 3], dilation: [1, 2] }, 'conv-im2col'],
      [{ c: 8, o: 8, h: 9, w: 9, k: [3, 3], group: 2 }, 'conv-im2col'],
      [{ c: 8, o: 8, h: 9, w: 9, k: [3, 2] }, 'conv-im2col'],
    ];
    expect(picks.map(([c]) => variantOf(conv(c)))).toEqual(picks.map(([, v]) => v));
  });

  it('eltwise: a plain sum of two, or the general kernel', () => {
    const sum = (p: Partial<EltwiseCase>): EltwiseCase => ({ op: 'Eltwise', shape: [1, 2, 3, 3], inputs: 2, operation: 'sum', ...p });
    expect([sum({}), sum({ coeffs: [1, 1] }), sum({ coeffs: [1, -1] }), sum({ inputs: 3 }), sum({ operation: 'prod' })].map(variantOf))
      .toEqual(['eltwise-sum2', 'eltwise-sum2', 'eltwise', 'eltwise', 'eltwise']);
  });

  it('pooling: max or average, any window; global pooling is a window over the plane', () => {
    const pool = (p: Partial<PoolCase>): PoolCase => ({ op: 'Pool', shape: [1, 2, 8, 8], method: 'max', ...p });
    expect([pool({ kernel: [2, 2] }), pool({}), pool({ shape: [1, 2, 2, 2], global: true }), pool({ method: 'ave', kernel: [2, 2] })]
      .map(variantOf)).toEqual(['pool-max', 'pool-max', 'pool-max', 'pool-ave']);
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
    expect(() => kernelNode(node, 'conv-pointwise', [inputs[0].shape], inferShapes(node, [inputs[0].shape])))
      .toThrow("layer 'conv' (Conv) cannot run as conv-pointwise (it can as conv-im2col, conv-direct)");
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

  it('scratch: a depthwise plane with its border, softmax\'s running max and sum', () => {
    const dw = build(rand, conv({ c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, pad: [1, 2, 0, 1] }));
    expect(lowered(dw.node, [dw.inputs[0].shape]).scratch).toBe(14 * 18);
    expect(lowered(makeNode('Softmax', { axis: 1 }, {}), [[2, 3, 7]]).scratch).toBe(14);
  });

  it('scratch: the bands of the general convolutions (RMNet\'s stem: 3 channels, 128x128, 3x3 stride 2 pad 1, 64 output rows of 64)', () => {
    const stem = build(rand, conv({ c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] }));
    const x = stem.inputs[0].shape;
    const as = <V extends 'conv-direct' | 'conv-im2col'>(v: V) => kernelNode(stem.node, v, [x], inferShapes(stem.node, [x])) as KernelOf<V>;
    // Direct, within 128 KB: bands of 32 output rows (41 would fit; two bands of equal height), 65
    // input rows of 64 + 1 floats per phase (stride 2: two phases), a plane 65·65 floats; then one
    // output row's col (27 taps of 64 pixels).
    const direct = as('conv-direct');
    expect([direct.band.rows, direct.band.inRows, direct.band.width, direct.band.plane, direct.band.floats, direct.col, direct.scratch])
      .toEqual([32, 65, 65, 4225, 3 * 2 * 4225, { rows: 1, stride: 64 }, 3 * 2 * 4225 + 27 * 64]);
    // Tap (c, ky, kx) at phase kx mod 2, row ky, column floor(kx / 2) of channel c's planes.
    expect(Array.from(direct.band.taps.subarray(0, 10))).toEqual([0, 4225, 1, 65, 4225 + 65, 66, 130, 4225 + 130, 131, 2 * 4225]);
    // Phase 0 (even input columns from −1): column 0 is padding; phase 1 (odd, from 0): the last one.
    expect(Array.from(direct.band.columns)).toEqual([1, 65, 0, 64]);
    // im2col, within 256 KB with 27 col rows of the band's pixels: 25 rows would fit, 3 bands of 22.
    const im2col = as('conv-im2col');
    expect([im2col.band.rows, im2col.band.inRows, im2col.band.plane, im2col.col, im2col.scratch])
      .toEqual([22, 45, 45 * 65, { rows: 22, stride: 22 * 64 }, 3 * 2 * 45 * 65 + 27 * 22 * 64]);
  });

  it('scratch: planes and col rows a multiple of 1 KB apart are moved 16 floats further (no L1 set aliasing)', () => {
    // 1x1 with a bottom pad: 64 output rows of 64, a band plane of 64 rows of 64.
    const c = build(rand, conv({ c: 2, o: 3, h: 63, w: 64, k: [1, 1], pad: [0, 0, 1, 0] }));
    const x = c.inputs[0].shape;
    const as = <V extends 'conv-direct' | 'conv-im2col'>(v: V) => kernelNode(c.node, v, [x], inferShapes(c.node, [x])) as KernelOf<V>;
    const [direct, im2col] = [as('conv-direct'), as('conv-im2col')];
    expect([direct.band.rows, direct.band.inRows, direct.band.width, direct.band.plane]).toEqual([64, 64, 64, 64 * 64 + 16]);
    expect([im2col.band.rows, im2col.band.plane, im2col.col]).toEqual([64, 64 * 64 + 16, { rows: 64, stride: 64 * 64 + 16 }]);
  });
});

describe('whole models', () => {
  const census = (kernels: KernelNode[]) => Object.fromEntries([...new Set(kernels.map((k) => k.variant))].map((v) => [v, kernels.filter((k) => k.variant === v).length]));

  it('RMNet: every convolution a special shape but the stem', async () => {
    const net = compile(await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL));
    expect(census(net.program.kernels)).toEqual({
      'scale': 1, 'conv-direct': 1, 'conv-pointwise': 76, 'conv-depthwise3x3s1': 33, 'conv-depthwise3x3': 3,
      'eltwise-sum2': 36, 'pool-max': 4,
    });
  });

  it('MTCNN: P-Net, R-Net, O-Net, and L-Net (its Slice and Concat views for one image, copies for two)', async () => {
    const variants = async (net: string, shape: Shape) => {
      const graph = await loadCaffe(`${MTCNN_DIR}${net}.prototxt`, `${MTCNN_DIR}${net}.caffemodel`);
      return census(compile(graph, { inputShapes: { [graph.inputs[0].name]: shape } }).program.kernels);
    };
    // Winograd for the 3x3 convolutions of 8+ channels each way (P-Net's 10→16 and 16→32, R-Net's
    // and L-Net's 28→48 at 9x9, O-Net's 32→64 and 64→64 at 21x21 and 8x8) at any batch; of the others, direct where the output rows are 16 pixels or more
    // (P-Net's 190; R-Net's and L-Net's first 22; O-Net's 46), im2col for the shorter ones.
    expect(await variants('det1', [1, 3, 144, 192])).toEqual({ 'conv-direct': 1, 'pool-max': 1, 'conv-winograd': 2, 'conv-pointwise': 2, 'softmax': 1 });
    expect(await variants('det2', [4, 3, 24, 24])).toEqual({ 'conv-direct': 1, 'pool-max': 2, 'conv-winograd': 1, 'conv-im2col': 1, 'inner-product': 3, 'prelu': 1, 'softmax': 1 });
    expect(await variants('det3', [1, 3, 48, 48])).toEqual({ 'conv-direct': 1, 'pool-max': 3, 'conv-winograd': 2, 'conv-im2col': 1, 'inner-product': 4, 'prelu': 1, 'softmax': 1 });
    expect(await variants('det3', [4, 3, 48, 48])).toEqual({ 'conv-direct': 1, 'pool-max': 3, 'conv-winograd': 2, 'conv-im2col': 1, 'inner-product': 4, 'prelu': 1, 'softmax': 1 });
    expect(await variants('det4', [1, 15, 24, 24])).toEqual({ 'view': 2, 'conv-direct': 5, 'pool-max': 10, 'conv-winograd': 5, 'conv-im2col': 5, 'inner-product': 11, 'prelu': 6 });
    expect(await variants('det4', [4, 15, 24, 24])).toEqual({ 'slice': 1, 'conv-direct': 5, 'pool-max': 10, 'conv-winograd': 5, 'conv-im2col': 5, 'concat': 1, 'inner-product': 11, 'prelu': 6 });
  });
});
