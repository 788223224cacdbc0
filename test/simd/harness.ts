// Runs one node through the SIMD backend as a CpuKernelFactory would, so test/kernels/reference.ts
// `check` compares it with the float64 reference: a one-node graph compiled with simdBackend,
// outputs filled with NaN before the run (an element never written fails), the inputs read
// back from memory afterwards (a kernel that writes into them fails), and run twice (a kernel
// that writes past the arena's end corrupts the constants behind it, so the second run differs).

import { compile } from '../../engine/compile.js';
import { formatShape, type Graph } from '../../engine/graph/graph.js';
import { simdBackendOf } from '../../engine/backends/simd.js';
import type { Activation } from '../../engine/graph/ops.js';
import type { CpuKernelFactory } from '../../engine/kernels/cpu/kernel.js';
import { simdKernel } from '../../engine/kernels/simd/index.js';
import type { SimdKernelFactory } from '../../engine/kernels/simd/kernel.js';

/** As viaSimd, with the SIMD kernel `kernelFor` gives (default: the backend's own choice). */
export const viaSimdKernel = (kernelFor: SimdKernelFactory): CpuKernelFactory => (node, inShapes, outShapes) => {
  if (!kernelFor(node, inShapes, outShapes)) {
    throw new Error(`${node.op} '${node.name}' on ${inShapes.map(formatShape).join(', ')} has no SIMD kernel`);
  }
  const graph: Graph = { name: node.name, inputs: node.inputs.map((name, i) => ({ name, shape: inShapes[i] })), outputs: node.outputs, nodes: [node] };
  const model = compile(graph, { backend: simdBackendOf(kernelFor), optimize: false });
  const runOnce = (xs: Float32Array[]) => {
    model.setInputs(Object.fromEntries(node.inputs.map((name, i) => [name, xs[i]])));
    node.outputs.forEach((name) => model.value(name).fill(NaN));
    model.steps.forEach((step) => step.run());
    return node.outputs.map((name) => model.value(name).slice());
  };
  return (xs, ys) => {
    const first = runOnce(xs);
    const second = runOnce(xs);
    first.forEach((y, t) => {
      if (y.some((v, i) => !Object.is(v, second[t][i]))) throw new Error(`${node.op} '${node.name}': a second run gave different output ${t}`);
      ys[t].set(y);
    });
    node.inputs.forEach((name, t) => xs[t].set(model.value(name)));
  };
};

export const viaSimd: CpuKernelFactory = viaSimdKernel(simdKernel);

/** Every fused activation, as the kernel tests sweep them. */
export const ACTIVATIONS: { act: Activation; sharedSlope?: boolean }[] = [
  { act: { kind: 'none' } },
  { act: { kind: 'relu', negativeSlope: 0 } },
  { act: { kind: 'relu', negativeSlope: 0.1 } },
  { act: { kind: 'elu', alpha: 1 } },
  { act: { kind: 'elu', alpha: 0.3 } },
  { act: { kind: 'elu', alpha: 1.7 } },
  { act: { kind: 'prelu' } },
  { act: { kind: 'prelu' }, sharedSlope: true },
];
