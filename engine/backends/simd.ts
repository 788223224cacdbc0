// WebAssembly SIMD: kernels generated per layer, specialised to its shapes and to where its
// values live. One WebAssembly.Memory, sized once, holds everything:
//
//   [GUARD | arena (the memory plan's values and scratch) | each kernel's constants | GUARD]
//
// and one module holds one function per node that has a SIMD kernel. Nodes without one run
// their CPU kernel on Float32Array views of the same memory (it never grows, so views stay
// valid), so no value is ever copied between layers.

import { simdKernel } from '../kernels/simd/index.js';
import { GUARD } from '../kernels/simd/kernel.js';
import { encodeModule, type FunctionDef } from '../wasm/binary.js';
import { cachedModule } from '../wasm/cache.js';
import { FunctionBuilder, set, v128 } from '../wasm/instructions.js';
import type { Backend, Step } from './backend.js';
import { cpuStep } from './cpu.js';

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

export const simdBackend: Backend = {
  name: 'simd',
  prepare(program, plan) {
    if (!simdAvailable()) throw new Error('the simd backend needs WebAssembly SIMD, which this JavaScript engine lacks');
    const kernels = program.kernels.map(simdKernel);

    const arenaAt = GUARD;
    let end = align16(arenaAt + 4 * plan.length);
    const constantsAt = kernels.map((k) => {
      const at = end;
      end = align16(end + 4 * (k?.constants.length ?? 0));
      return at;
    });
    end += GUARD;
    const pages = Math.ceil(end / PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const floats = new Float32Array(memory.buffer);
    kernels.forEach((k, i) => k && floats.set(k.constants, constantsAt[i] / 4));

    const byteOf = (name: string) => arenaAt + 4 * plan.offsets.get(name)!;
    const generate = () => {
      const functions: FunctionDef[] = [];
      kernels.forEach((k, i) => {
        if (!k) return;
        const node = program.kernels[i];
        const fn = new FunctionBuilder();
        const body = k.emit(fn, { inputs: node.inputs.map(byteOf), outputs: node.outputs.map(byteOf), constants: constantsAt[i], scratch: arenaAt + 4 * plan.scratch[i] });
        functions.push(fn.finish(`n${i}`, body));
      });
      return encodeModule(functions, pages);
    };
    // The module depends on nothing but the program and where everything lies (engine/wasm/cache.ts).
    const bytes = kernels.some((k) => k) ? cachedModule({ program: program.kernels, offsets: plan.offsets, scratch: plan.scratch, arenaAt, constantsAt, pages }, generate) : undefined;
    const exports = bytes ? new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports : {};

    const arena = new Float32Array(memory.buffer, arenaAt, plan.length);
    const steps: Step[] = program.kernels.map((node, i) => (kernels[i]
      ? { kernel: node, runsOn: 'simd', run: exports[`n${i}`] as () => void }
      : cpuStep(program, plan, arena, i, 'cpu (fallback)')));
    return { arena, steps };
  },
};
