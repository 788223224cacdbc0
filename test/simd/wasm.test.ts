// The emitter on its own: LEB128 against the spec's examples, operand type checks, a tiny
// generated module run end to end, and madd with relaxed SIMD and without.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { relaxedSimdAvailable } from '../../engine/relaxed-simd.js';
import { encodeModule, sleb, uleb } from '../../engine/wasm/binary.js';
import { f32x4, FunctionBuilder, get, i32, range, set, shuffleF32, storeLanes, v128 } from '../../engine/wasm/instructions.js';

describe('WebAssembly emitter', () => {
  it('encodes LEB128', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(0x80000000)).toEqual(sleb(-0x80000000));
    expect(() => uleb(-1)).toThrow(/not a u32/);
  });

  it('rejects operands of the wrong type, naming the instruction', () => {
    const fn = new FunctionBuilder();
    expect(() => f32x4.add(i32.const(1), fn.splat(2))).toThrow('f32x4.add: operand 0 is i32, expected v128');
    expect(() => set(fn.local('i32'), fn.splat(0))).toThrow('local.set: operand 0 is v128, expected i32');
    expect(() => shuffleF32(fn.splat(0), fn.splat(1), [0, 1, 2, 8])).toThrow(/lanes/);
  });

  it('builds a module that runs: y = shuffle(a, b) * 2 over 3 vectors, the last 3 lanes wide', () => {
    const fn = new FunctionBuilder();
    const i = fn.local('i32');
    const v = fn.local('v128');
    const body = [
      range(i, 0, 48, 16, [
        set(v, f32x4.mul(shuffleF32(v128.load(get(i), 0), v128.load(get(i), 48), [0, 4, 1, 5]), fn.splat(2))),
        v128.store(get(i), 96, get(v)),
      ]),
      set(v, get(v)),
      ...storeLanes(i32.const(0), 144, v, 3),
    ];
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const module = new WebAssembly.Module(encodeModule([fn.finish('run', body)], 1));
    const run = new WebAssembly.Instance(module, { env: { memory } }).exports.run as () => void;
    const f = new Float32Array(memory.buffer);
    f.set(Array.from({ length: 24 }, (_, k) => k));
    f.fill(-1, 24, 40);
    run();
    expect(Array.from(f.subarray(24, 40))).toEqual([0, 24, 2, 26, 8, 32, 10, 34, 16, 40, 18, 42, 16, 40, 18, -1]);
  });

  it.each([false, true])('madd (relaxed: %s): a·b + c, as one f32x4.relaxed_madd only with relaxed SIMD', (relaxed) => {
    expect(relaxedSimdAvailable()).toBe(true); // the test setup turned it on
    const fn = new FunctionBuilder(relaxed);
    const v = fn.local('v128');
    const at = (k: number) => v128.load(i32.const(0), 16 * k);
    const bytes = encodeModule([fn.finish('run', [set(v, fn.madd(at(0), at(1), at(2))), v128.store(i32.const(0), 48, get(v))])], 1);
    const fused = bytes.some((_, k) => bytes[k] === 0xfd && bytes[k + 1] === 0x85 && bytes[k + 2] === 0x02); // opcode 0x105, LEB128
    expect(fused).toBe(relaxed);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const run = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.run as () => void;
    const f = new Float32Array(memory.buffer);
    f.set([1, 2, -3, 0.5, 4, 0.25, 2, -8, 1, 1, 1, 1]);
    run();
    expect(Array.from(f.subarray(12, 16))).toEqual([5, 1.5, -5, -3]);
  });
});

describe('relaxed SIMD in a process that has not turned it on (Node 20 has it behind a flag)', () => {
  it('compiles plain SIMD by default, refuses relaxed asked for by name, and has it after enableRelaxedSimd()', () => {
    const dist = (file: string) => JSON.stringify(new URL(`../../dist/${file}`, import.meta.url).href);
    const script = `
      const { relaxedSimdAvailable, enableRelaxedSimd } = await import(${dist('engine/relaxed-simd.js')});
      const { createSimdBackend, simdBackend } = await import(${dist('engine/backends/simd.js')});
      const { compile } = await import(${dist('engine/compile.js')});
      const graph = { name: 'g', inputs: [{ name: 'x', shape: [1, 4, 2, 2] }], outputs: ['y'],
        nodes: [{ name: 'r', op: 'Relu', attrs: { negativeSlope: 0.5 }, inputs: ['x'], outputs: ['y'], weights: {} }] };
      const before = relaxedSimdAvailable();
      compile(graph, { backend: simdBackend });
      let refused = '';
      try { compile(graph, { backend: createSimdBackend({ relaxed: true }) }); } catch (e) { refused = e.message; }
      console.log(JSON.stringify({ before, refused, after: enableRelaxedSimd() }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, FACEREID_CACHE: 'off' } });
    expect(r.status, r.stderr).toBe(0);
    const { before, refused, after } = JSON.parse(r.stdout) as { before: boolean; refused: string; after: boolean };
    if (!before) expect(refused).toMatch(/asked for relaxed SIMD, which this JavaScript engine lacks \(Node 20: call enableRelaxedSimd\(\) first\)/);
    else expect(refused).toBe(''); // Node 22+: on from the start
    expect(after).toBe(true);
  });
});
