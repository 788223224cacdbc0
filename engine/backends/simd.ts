// WebAssembly SIMD: kernels generated per layer, specialised to its shapes and to where its
// values live. One WebAssembly.Memory, sized once, holds everything:
//
//   [GUARD | arena (the memory plan's values and scratch) | each kernel's constants | GUARD]
//
// and one module holds one function per node that has a SIMD kernel. Nodes without one run
// their CPU kernel on Float32Array views of the same memory (it never grows, so views stay
// valid), so no value is ever copied between layers.
//
// Shapes of one net compiled with a MemoryShare use one memory (each module asks for at least
// its pages): a shape's layout is the same as alone (so its cached module is too), and its
// constants are put in place before it runs when another shape ran there last. A shape needing
// more than the shared memory holds gets a new one, which the shapes after it share.

import { simdKernel } from '../kernels/simd/index.js';
import { GUARD } from '../kernels/simd/kernel.js';
import { encodeModule, type FunctionDef } from '../wasm/binary.js';
import { cachedModule } from '../wasm/cache.js';
import { FunctionBuilder, set, v128 } from '../wasm/instructions.js';
import type { Program } from '../lower/kernel-node.js';
import type { MemoryPlan } from '../plan.js';
import { relaxedSimdAvailable } from '../relaxed-simd.js';
import type { Backend, MemoryShare, Prepared, Step } from './backend.js';
import { cpuStep } from './cpu.js';

const PAGE = 65536;
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** A memory shared by a net's shapes, and the shape whose constants are in it (MemoryShare). */
interface Shared {
  memory: WebAssembly.Memory;
  resident?: object;
}

/** The share's memory if it has `pages`, else a new one that becomes the share's. */
function sharedMemory(share: MemoryShare, pages: number): Shared {
  let shared = share.state.get('simd') as Shared | undefined;
  if (!shared || shared.memory.buffer.byteLength < pages * PAGE) {
    shared = { memory: new WebAssembly.Memory({ initial: pages }) };
    share.state.set('simd', shared);
  }
  return shared;
}

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

/**
 * The simd backend. `relaxed`: use relaxed SIMD's multiply-add (FunctionBuilder.madd) — by default
 * where this engine has it, decided when a net is compiled. Fused where the processor has FMA, so
 * results may differ in the last bits between machines; `relaxed: false` gives the same bits everywhere.
 */
export function createSimdBackend({ relaxed }: { relaxed?: boolean } = {}): Backend {
  return {
    name: 'simd',
    relaxed,
    prepare(program, plan, share) {
      const available = relaxedSimdAvailable();
      if (relaxed && !available) throw new Error('the simd backend was asked for relaxed SIMD, which this JavaScript engine lacks (Node 20: call enableRelaxedSimd() first)');
      return prepare(program, plan, share, relaxed ?? available);
    },
  };
}

export const simdBackend: Backend = createSimdBackend();

function prepare(program: Program, plan: MemoryPlan, share: MemoryShare | undefined, relaxed: boolean): Prepared {
  if (!simdAvailable()) throw new Error('the simd backend needs WebAssembly SIMD, which this JavaScript engine lacks');
  const kernels = program.kernels.map(simdKernel);

  const arenaAt = GUARD;
  let end = align16(arenaAt + 4 * plan.length);
  const constantsAt = kernels.map((k) => {
    const at = end;
    end = align16(end + 4 * (k?.constants.reduce((floats, part) => floats + part.length, 0) ?? 0));
    return at;
  });
  end += GUARD;
  const pages = Math.ceil(end / PAGE);
  const shared = share ? sharedMemory(share, pages) : undefined;
  const memory = shared?.memory ?? new WebAssembly.Memory({ initial: pages, maximum: pages });

  const byteOf = (name: string) => arenaAt + 4 * plan.offsets.get(name)!;
  const generate = () => {
    const functions: FunctionDef[] = [];
    kernels.forEach((k, i) => {
      if (!k) return;
      const node = program.kernels[i];
      const fn = new FunctionBuilder(relaxed);
      const body = k.emit(fn, { inputs: node.inputs.map(byteOf), outputs: node.outputs.map(byteOf), constants: constantsAt[i], scratch: arenaAt + 4 * plan.scratch[i] });
      functions.push(fn.finish(`n${i}`, body));
    });
    return encodeModule(functions, pages);
  };
  // The module depends on nothing but the program and where everything lies (engine/wasm/cache.ts).
  const bytes = kernels.some((k) => k) ? cachedModule({ program: program.kernels, offsets: plan.offsets, scratch: plan.scratch, arenaAt, constantsAt, pages, relaxed }, generate) : undefined;
  const exports = bytes ? new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports : {};
  const place = () => {
    const floats = new Float32Array(memory.buffer);
    kernels.forEach((k, i) => {
      let at = constantsAt[i] / 4;
      for (const part of k?.constants ?? []) {
        floats.set(part, at);
        at += part.length;
      }
    });
  };
  if (!shared) place();

  const arena = new Float32Array(memory.buffer, arenaAt, plan.length);
  const steps: Step[] = program.kernels.map((node, i) => (kernels[i]
    ? { kernel: node, runsOn: 'simd', run: exports[`n${i}`] as () => void }
    : cpuStep(program, plan, arena, i, 'cpu (fallback)')));
  if (shared && steps.length > 0) {
    // The first step puts this shape's constants in place (after its inputs were written:
    // constants lie beyond the arena, so neither overwrites the other).
    const token = {};
    const first = steps[0].run as () => void;
    steps[0] = {
      ...steps[0], run: () => {
        if (shared.resident !== token) {
          place();
          shared.resident = token;
        }
        first();
      },
    };
  }
  return { arena, steps };
}
