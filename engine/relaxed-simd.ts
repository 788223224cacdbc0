// Relaxed SIMD (f32x4.relaxed_madd, a multiply-add fused where the processor has FMA) makes the
// simd backend's kernels ~10% faster. Chrome 114+ and Node 22+ have it; Node 20's V8 has it behind
// --experimental-wasm-relaxed-simd. A library does not change its host's engine flags unasked: an
// application on Node 20 calls enableRelaxedSimd once, before compiling nets (the command line
// does, in cli/start.ts; this file imports nothing of the engine, so that start-up stays small).

import { setFlagsFromString } from 'node:v8';

/** The smallest module using relaxed SIMD: (func (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))). */
const PROBE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type section: one (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // code: the three locals, 0xfd 0x105, end
);

/** Whether this engine runs relaxed SIMD (asked each time: enableRelaxedSimd can turn it on). */
export function relaxedSimdAvailable(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(PROBE);
}

/** Turns on relaxed SIMD for this process where V8 has it behind a flag; whether it is on now. */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdAvailable();
}
