// WebAssembly SIMD: kernels generated per layer, specialised to its shapes and to where its
// values live. One WebAssembly.Memory, sized once, holds everything:
//
//   [GUARD | arena (the memory plan's values) | each kernel's constants | scratch | GUARD]
//
// and one module holds one function per node that has a SIMD kernel. Nodes without one run
// their CPU kernel on Float32Array views of the same memory (it never grows, so views stay
// valid), so no value is ever copied between layers.

import { sizeOf } from '../graph/graph.js';
import { cpuKernel } from '../kernels/cpu/index.js';
import { simdKernel } from '../kernels/simd/index.js';
import { GUARD, type SimdKernelFactory } from '../kernels/simd/kernel.js';
import { encodeModule, type FunctionDef } from '../wasm/binary.js';
import { FunctionBuilder, set, v128 } from '../wasm/instructions.js';
import type { Backend, Step } from './backend.js';

const PAGE = 65536;
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

let available: boolean | undefined;

/** Whether this engine runs WebAssembly with 128-bit SIMD (validates a one-instruction module). */
export function simdAvailable(): boolean {
  if (available === undefined) {
    const fn = new FunctionBuilder();
    const probe = encodeModule([fn.finish('probe', [set(fn.local('v128'), v128.f32x4([0, 0, 0, 0]))])], 1);
    available = typeof WebAssembly === 'object' && WebAssembly.validate(probe);
  }
  return available;
}

/** The backend running each node on the SIMD kernel `kernelFor` gives it (the CPU kernel when none). */
export const simdBackendOf = (kernelFor: SimdKernelFactory): Backend => ({
  name: 'simd',
  prepare(graph, shapes, plan) {
    if (!simdAvailable()) throw new Error('the simd backend needs WebAssembly SIMD, which this JavaScript engine lacks');
    const shapesOf = (names: string[]) => names.map((name) => shapes.get(name)!);
    const kernels = graph.nodes.map((node) => kernelFor(node, shapesOf(node.inputs), shapesOf(node.outputs)));

    const arenaAt = GUARD;
    let end = align16(arenaAt + 4 * plan.length);
    const constantsAt = kernels.map((k) => {
      const at = end;
      end = align16(end + 4 * (k?.constants.length ?? 0));
      return at;
    });
    const scratchAt = end;
    end += Math.max(0, ...kernels.map((k) => k?.scratchBytes ?? 0)) + GUARD;
    const pages = Math.ceil(end / PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const floats = new Float32Array(memory.buffer);
    kernels.forEach((k, i) => k && floats.set(k.constants, constantsAt[i] / 4));

    const byteOf = (name: string) => arenaAt + 4 * plan.offsets.get(name)!;
    const functions: FunctionDef[] = [];
    kernels.forEach((k, i) => {
      if (!k) return;
      const node = graph.nodes[i];
      const fn = new FunctionBuilder();
      const body = k.emit(fn, { inputs: node.inputs.map(byteOf), outputs: node.outputs.map(byteOf), constants: constantsAt[i], scratch: scratchAt });
      functions.push(fn.finish(`n${i}`, body));
    });
    const exports = functions.length === 0 ? {}
      : new WebAssembly.Instance(new WebAssembly.Module(encodeModule(functions, pages)), { env: { memory } }).exports;

    const view = (name: string) => new Float32Array(memory.buffer, byteOf(name), sizeOf(shapes.get(name)!));
    const steps: Step[] = graph.nodes.map((node, i) => {
      if (kernels[i]) return { node, run: exports[`n${i}`] as () => void };
      const kernel = cpuKernel(node, shapesOf(node.inputs), shapesOf(node.outputs));
      const inputs = node.inputs.map(view);
      const outputs = node.outputs.map(view);
      return { node, run: () => kernel(inputs, outputs) };
    });
    return { arena: new Float32Array(memory.buffer, arenaAt, plan.length), steps };
  },
});

export const simdBackend = simdBackendOf(simdKernel);
