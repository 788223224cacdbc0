// Whole models on the SIMD backend. RMNet: the 9 reference tensors reproduce the published
// embeddings (cosine >= 0.99999, max |diff| <= 2e-5), alone and in batches of 2 and 8, with
// every layer in generated code. MTCNN's four nets (PReLU, 2x2 and 3x3 convolutions, 3x3/2 and
// 2x2/2 pooling, fully connected layers, Softmax): the CPU backend's outputs, every layer in
// generated code but L-Net's Slice and Concat when they copy (a batch above one; with one image
// they are views). (test/mtcnn.test.ts checks both backends against OpenCV's outputs.) RMNet's
// published embeddings also on the simd backend without relaxed SIMD (the test setup turns it on).

import { beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../../engine/backends/cpu.js';
import { createSimdBackend, simdAvailable, simdBackend } from '../../engine/backends/simd.js';
import { compile, type CompiledModel } from '../../engine/compile.js';
import { simdKernel } from '../../engine/kernels/simd/index.js';
import type { Graph, Shape } from '../../engine/graph/graph.js';
import { loadCaffe } from '../../importer/caffe/index.js';
import { FACES, MTCNN_DIR, publishedEmbeddings, referenceInput, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from '../helpers/shared.js';
import { prng, tensor } from '../kernels/reference.js';

const IMAGE = 3 * 128 * 128;
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('RMNet on the SIMD backend', () => {
  let graph: Graph;
  let single: CompiledModel;
  const published = publishedEmbeddings();
  beforeAll(async () => {
    graph = await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL);
    single = compile(graph, { backend: simdBackend });
  });

  /** Runs the faces (indices into FACES) as one batch and checks each embedding. */
  const expectPublished = (model: CompiledModel, faces: number[]) => {
    const input = new Float32Array(faces.length * IMAGE);
    faces.forEach((f, n) => input.set(referenceInput(FACES[f]), n * IMAGE));
    const out = model.run({ data: input })[graph.outputs[0]];
    faces.forEach((f, n) => {
      const raw = out.subarray(n * 128, (n + 1) * 128);
      const norm = Math.hypot(...raw);
      const ours = raw.map((v) => v / norm);
      const want = published[f];
      const diff = maxDiff(ours, want);
      const cosine = ours.reduce((s, v, k) => s + v * want[k], 0);
      const where = `${FACES[f]} (batch ${faces.length}, image ${n})`;
      expect(cosine, `${where}: cosine ${cosine}, max diff ${diff}`).toBeGreaterThanOrEqual(0.99999);
      expect(diff, `${where}: max diff ${diff}`).toBeLessThanOrEqual(2e-5);
    });
  };

  it('SIMD is available here', () => expect(simdAvailable()).toBe(true));
  it.each(FACES.map((name, i) => [name, i] as const))('%s alone', (_, i) => expectPublished(single, [i]));
  it('batch of 2', () => expectPublished(compile(graph, { batch: 2, backend: simdBackend }), [4, 7]));
  it('batch of 8', () => expectPublished(compile(graph, { batch: 8, backend: simdBackend }), [8, 0, 1, 2, 3, 4, 5, 6]));

  it('a net compiled for several batch sizes is optimised once and places each layer\'s weights from one array', () => {
    const two = compile(graph, { batch: 2, backend: simdBackend });
    expect(two.graph).toBe(single.graph);
    // The kernels whose first constant is the layer's weights (as they are, or packed once for the
    // depthwise kernels): the same array at both sizes.
    const weighty = ['conv-pointwise', 'conv-depthwise3x3s1', 'conv-depthwise3x3', 'inner-product', 'conv-direct', 'conv-im2col'];
    const packed = single.program.kernels.flatMap((node, i) => (weighty.includes(node.variant)
      ? [[simdKernel(node), simdKernel(two.program.kernels[i])]] : []));
    expect(packed.length).toBeGreaterThan(100);
    for (const [a, b] of packed) expect(b!.constants[0]).toBe(a!.constants[0]);
  });

  it('runs every layer as generated code', () => expect(onCpu(single)).toEqual([]));

  it('without relaxed SIMD too: alone and a batch of 3', () => {
    const plain = createSimdBackend({ relaxed: false });
    FACES.forEach((_, i) => expectPublished(compile(graph, { backend: plain }), [i]));
    expectPublished(compile(graph, { batch: 3, backend: plain }), [2, 5, 8]);
  });
});

/** Each step that does not run generated code: its variant and where it runs. */
const onCpu = (model: CompiledModel) => model.steps.filter((step) => step.runsOn !== 'simd').map((step) => `${step.kernel.variant} ${step.runsOn}`);

describe('MTCNN on the SIMD backend matches the CPU backend', () => {
  const nets: [string, Shape, string[]][] = [
    ['det1', [1, 3, 103, 135], []], ['det2', [5, 3, 24, 24], []], ['det3', [3, 3, 48, 48], []],
    ['det4', [1, 15, 24, 24], []], ['det4', [2, 15, 24, 24], ['slice cpu (fallback)', 'concat cpu (fallback)']],
  ];
  it.each(nets)('%s on %j', async (net, shape, fallbacks) => {
    const graph = await loadCaffe(`${MTCNN_DIR}${net}.prototxt`, `${MTCNN_DIR}${net}.caffemodel`);
    const inputShapes = { [graph.inputs[0].name]: shape };
    const input = { [graph.inputs[0].name]: tensor(prng(9), shape, -1, 1).data };
    const want = compile(graph, { inputShapes, backend: cpuBackend }).run(input);
    const model = compile(graph, { inputShapes, backend: simdBackend });
    const got = model.run(input);
    for (const name of graph.outputs) expect(maxDiff(got[name], want[name]), name).toBeLessThanOrEqual(1e-5);
    expect(onCpu(model)).toEqual(fallbacks);
  });
});
