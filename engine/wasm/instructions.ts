// A typed builder for the WebAssembly instructions the kernels use. Each instruction is an
// expression built from its operands, so generated code reads like the formula it computes:
//
//   set(acc, f32x4.add(get(acc), f32x4.mul(get(w), v128.load(get(x), 16))))
//
// An Expr holds its result type and its code: a tree of byte arrays (operands first:
// WebAssembly is a stack machine), flattened once when the function is finished. Operand
// types are checked as expressions are built, so a generator's mistake fails here, naming the
// instruction, instead of as an invalid module. Opcodes are named once, below.

import { ByteWriter, f32Bytes, sleb, uleb, type FunctionDef, type ValType } from './binary.js';

export type Type = ValType | 'void';

type Code = number | readonly Code[];

export interface Expr {
  readonly type: Type;
  readonly code: Code;
}

export interface Local {
  index: number;
  type: ValType;
}

/** One-byte opcodes. */
const OP = {
  loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, brIf: 0x0d, select: 0x1b,
  localGet: 0x20, localSet: 0x21,
  i32Load: 0x28, f32Load: 0x2a, f64Load: 0x2b, i32Load8U: 0x2d, i32Load16U: 0x2f, i32Store: 0x36, f32Store: 0x38, f64Store: 0x39, i32Store16: 0x3b,
  i32Const: 0x41, f64Const: 0x44,
  i32LtS: 0x48, i32LtU: 0x49,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71,
  f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2,
  f32DemoteF64: 0xb6, f64ConvertI32S: 0xb7,
} as const;

/** SIMD opcodes, after the 0xfd prefix (LEB128). */
const SIMD = {
  load: 0x00, load32Splat: 0x09, store: 0x0b, const: 0x0c, shuffle: 0x0d,
  f32x4Splat: 0x13, f32x4ReplaceLane: 0x20,
  and: 0x4e, or: 0x50, bitselect: 0x52, store32Lane: 0x5a,
  i32x4Shl: 0xab, i32x4ShrS: 0xac,
  f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7, f32x4Pmin: 0xea, f32x4Pmax: 0xeb,
  f32x4RelaxedMadd: 0x105,
} as const;

const VOID_BLOCK = 0x40;

function expect(what: string, operands: Expr[], types: Type[]): void {
  operands.forEach((e, i) => {
    if (e.type !== types[i]) throw new TypeError(`${what}: operand ${i} is ${e.type}, expected ${types[i]}`);
  });
}

/** An instruction: its operands' code, then its own bytes. */
function instr(what: string, type: Type, operands: Expr[], operandTypes: Type[], bytes: number[]): Expr {
  expect(what, operands, operandTypes);
  return { type, code: [...operands.map((e) => e.code), bytes] };
}

const simd = (op: number, ...immediates: number[]) => [0xfd, ...uleb(op), ...immediates];
const memarg = (alignLog2: number, offset: number) => [...uleb(alignLog2), ...uleb(offset)];
const lane = (what: string, index: number) => {
  if (!Number.isInteger(index) || index < 0 || index > 3) throw new RangeError(`${what}: lane ${index} out of 0..3`);
  return index;
};

// ---- locals and control ----

export const get = (l: Local): Expr => ({ type: l.type, code: [OP.localGet, ...uleb(l.index)] });
export const set = (l: Local, value: Expr): Expr => instr('local.set', 'void', [value], [l.type], [OP.localSet, ...uleb(l.index)]);

/** Statements in order (each must leave nothing on the stack). */
export function seq(statements: Expr[]): Expr {
  expect('seq', statements, statements.map(() => 'void'));
  return { type: 'void', code: statements.map((s) => s.code) };
}

/** Runs `body`, then again while `more` (an i32 evaluated after it) is non-zero. */
export const doWhile = (body: Expr[], more: Expr): Expr =>
  ({ type: 'void', code: [OP.loop, VOID_BLOCK, seq(body).code, instr('br_if', 'void', [more], ['i32'], [OP.brIf, 0]).code, OP.end] });

/**
 * A counted loop: counter = from, from + step, ... while < to; the body at each.
 * The bounds are constants, checked here to run at least once; one iteration has no loop.
 */
export function range(counter: Local, from: number, to: number, step: number, body: Expr[]): Expr {
  if (!(to > from) || !(step > 0)) throw new RangeError(`range ${from}..${to} step ${step} runs no iteration`);
  const start = set(counter, i32.const(from));
  if (from + step >= to) return seq([start, ...body]);
  return seq([start, doWhile([...body, bump(counter, step)], i32.ltU(get(counter), i32.const(to)))]);
}

/** Runs `then` when `cond` (an i32) is non-zero, else `otherwise`. */
export const ifElse = (cond: Expr, then: Expr[], otherwise: Expr[]): Expr => ({
  type: 'void',
  code: [instr('if', 'void', [cond], ['i32'], [OP.if, VOID_BLOCK]).code, seq(then).code,
    ...(otherwise.length > 0 ? [OP.else, seq(otherwise).code] : []), OP.end],
});

/** counter += bytes */
export const bump = (l: Local, bytes: number): Expr => set(l, i32.add(get(l), i32.const(bytes)));

// ---- numbers ----

export const i32 = {
  const: (value: number): Expr => ({ type: 'i32', code: [OP.i32Const, ...sleb(value)] }),
  add: (a: Expr, b: Expr): Expr => instr('i32.add', 'i32', [a, b], ['i32', 'i32'], [OP.i32Add]),
  sub: (a: Expr, b: Expr): Expr => instr('i32.sub', 'i32', [a, b], ['i32', 'i32'], [OP.i32Sub]),
  mul: (a: Expr, b: Expr): Expr => instr('i32.mul', 'i32', [a, b], ['i32', 'i32'], [OP.i32Mul]),
  and: (a: Expr, b: Expr): Expr => instr('i32.and', 'i32', [a, b], ['i32', 'i32'], [OP.i32And]),
  ltU: (a: Expr, b: Expr): Expr => instr('i32.lt_u', 'i32', [a, b], ['i32', 'i32'], [OP.i32LtU]),
  ltS: (a: Expr, b: Expr): Expr => instr('i32.lt_s', 'i32', [a, b], ['i32', 'i32'], [OP.i32LtS]),
  /** cond ? a : b (both evaluated). */
  select: (a: Expr, b: Expr, cond: Expr): Expr => instr('select', 'i32', [a, b, cond], ['i32', 'i32', 'i32'], [OP.select]),
  load: (addr: Expr, offset: number): Expr => instr('i32.load', 'i32', [addr], ['i32'], [OP.i32Load, ...memarg(2, offset)]),
  /** One byte at addr + offset, zero-extended. */
  load8U: (addr: Expr, offset: number): Expr => instr('i32.load8_u', 'i32', [addr], ['i32'], [OP.i32Load8U, ...memarg(0, offset)]),
  /** Two bytes at addr + offset, zero-extended. */
  load16U: (addr: Expr, offset: number): Expr => instr('i32.load16_u', 'i32', [addr], ['i32'], [OP.i32Load16U, ...memarg(1, offset)]),
  store: (addr: Expr, offset: number, value: Expr): Expr =>
    instr('i32.store', 'void', [addr, value], ['i32', 'i32'], [OP.i32Store, ...memarg(2, offset)]),
  /** The low 16 bits of value at addr + offset. */
  store16: (addr: Expr, offset: number, value: Expr): Expr =>
    instr('i32.store16', 'void', [addr, value], ['i32', 'i32'], [OP.i32Store16, ...memarg(1, offset)]),
};

export const f32 = {
  load: (addr: Expr, offset: number): Expr => instr('f32.load', 'f32', [addr], ['i32'], [OP.f32Load, ...memarg(2, offset)]),
  store: (addr: Expr, offset: number, value: Expr): Expr =>
    instr('f32.store', 'void', [addr, value], ['i32', 'f32'], [OP.f32Store, ...memarg(2, offset)]),
  /** The f64 rounded to the nearest f32 (ties to even), as a Float32Array store rounds. */
  demote: (value: Expr): Expr => instr('f32.demote_f64', 'f32', [value], ['f64'], [OP.f32DemoteF64]),
};

const f64Binary = (name: string, opcode: number) =>
  (a: Expr, b: Expr): Expr => instr(name, 'f64', [a, b], ['f64', 'f64'], [opcode]);

export const f64 = {
  const: (value: number): Expr => ({ type: 'f64', code: [OP.f64Const, ...new Uint8Array(Float64Array.of(value).buffer)] }),
  load: (addr: Expr, offset: number): Expr => instr('f64.load', 'f64', [addr], ['i32'], [OP.f64Load, ...memarg(3, offset)]),
  store: (addr: Expr, offset: number, value: Expr): Expr =>
    instr('f64.store', 'void', [addr, value], ['i32', 'f64'], [OP.f64Store, ...memarg(3, offset)]),
  add: f64Binary('f64.add', OP.f64Add),
  sub: f64Binary('f64.sub', OP.f64Sub),
  mul: f64Binary('f64.mul', OP.f64Mul),
  /** A signed i32 as an f64 (exact). */
  fromI32: (value: Expr): Expr => instr('f64.convert_i32_s', 'f64', [value], ['i32'], [OP.f64ConvertI32S]),
};

// ---- 128-bit vectors ----

const simdBinary = (name: string, opcode: number) =>
  (a: Expr, b: Expr): Expr => instr(name, 'v128', [a, b], ['v128', 'v128'], simd(opcode));

export const v128 = {
  /** 16 bytes at addr + offset (any alignment). */
  load: (addr: Expr, offset: number): Expr => instr('v128.load', 'v128', [addr], ['i32'], simd(SIMD.load, ...memarg(4, offset))),
  /** One f32 at addr + offset, in all four lanes. */
  load32Splat: (addr: Expr, offset: number): Expr =>
    instr('v128.load32_splat', 'v128', [addr], ['i32'], simd(SIMD.load32Splat, ...memarg(2, offset))),
  store: (addr: Expr, offset: number, value: Expr): Expr =>
    instr('v128.store', 'void', [addr, value], ['i32', 'v128'], simd(SIMD.store, ...memarg(4, offset))),
  /** Stores lane `index` of value (an f32) at addr + offset. */
  store32Lane: (addr: Expr, offset: number, value: Expr, index: number): Expr =>
    instr('v128.store32_lane', 'void', [addr, value], ['i32', 'v128'], simd(SIMD.store32Lane, ...memarg(2, offset), lane('v128.store32_lane', index))),
  /** Four f32 lanes. */
  f32x4: (lanes: [number, number, number, number]): Expr => ({ type: 'v128', code: simd(SIMD.const, ...lanes.flatMap(f32Bytes)) }),
  /** Four i32 lanes (masks). */
  i32x4: (lanes: [number, number, number, number]): Expr =>
    ({ type: 'v128', code: simd(SIMD.const, ...new Uint8Array(Int32Array.from(lanes).buffer)) }),
  and: simdBinary('v128.and', SIMD.and),
  or: simdBinary('v128.or', SIMD.or),
  /** Bits of a where mask is 1, of b where it is 0. */
  bitselect: (a: Expr, b: Expr, mask: Expr): Expr => instr('v128.bitselect', 'v128', [a, b, mask], ['v128', 'v128', 'v128'], simd(SIMD.bitselect)),
};

export const f32x4 = {
  add: simdBinary('f32x4.add', SIMD.f32x4Add),
  sub: simdBinary('f32x4.sub', SIMD.f32x4Sub),
  mul: simdBinary('f32x4.mul', SIMD.f32x4Mul),
  div: simdBinary('f32x4.div', SIMD.f32x4Div),
  /** The f32 `value` in all four lanes. */
  splat: (value: Expr): Expr => instr('f32x4.splat', 'v128', [value], ['f32'], simd(SIMD.f32x4Splat)),
  /** v with lane `index` replaced by the f32 `value`. */
  replaceLane: (v: Expr, index: number, value: Expr): Expr =>
    instr('f32x4.replace_lane', 'v128', [v, value], ['v128', 'f32'], simd(SIMD.f32x4ReplaceLane, lane('f32x4.replace_lane', index))),
  /** b < a ? b : a (one x86 instruction, unlike min's NaN rules). */
  pmin: simdBinary('f32x4.pmin', SIMD.f32x4Pmin),
  /** a < b ? b : a */
  pmax: simdBinary('f32x4.pmax', SIMD.f32x4Pmax),
};

export const i32x4 = {
  shl: (v: Expr, bits: Expr): Expr => instr('i32x4.shl', 'v128', [v, bits], ['v128', 'i32'], simd(SIMD.i32x4Shl)),
  /** Arithmetic shift right (copies of the sign bit come in). */
  shrS: (v: Expr, bits: Expr): Expr => instr('i32x4.shr_s', 'v128', [v, bits], ['v128', 'i32'], simd(SIMD.i32x4ShrS)),
};

/** Picks f32 lanes of a (0..3) and b (4..7): i8x16.shuffle of whole floats. */
export function shuffleF32(a: Expr, b: Expr, lanes: [number, number, number, number]): Expr {
  if (lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 7)) throw new RangeError(`shuffle: lanes ${lanes} out of 0..7`);
  return instr('i8x16.shuffle', 'v128', [a, b], ['v128', 'v128'], simd(SIMD.shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])));
}

/** Stores the first `lanes` f32 lanes of local v at addr + offset: one store when all 4. */
export function storeLanes(addr: Expr, offset: number, v: Local, lanes: number): Expr[] {
  if (lanes === 4) return [v128.store(addr, offset, get(v))];
  return Array.from({ length: lanes }, (_, l) => v128.store32Lane(addr, offset + 4 * l, get(v), l));
}

// ---- functions ----

function write(out: ByteWriter, code: Code): void {
  if (typeof code === 'number') out.byte(code);
  else for (const part of code) write(out, part);
}

/**
 * Hands out locals for one function `() => void`, then packages its body. `splat(c)` gives a vector
 * constant as a local set once at the top (3 bytes at each use instead of 18; TurboFan hoists
 * constants out of loops either way). `relaxed`: the module may use relaxed SIMD (`madd`).
 */
export class FunctionBuilder {
  private readonly locals: ValType[] = [];
  private readonly constants = new Map<number, Local>();

  constructor(readonly relaxed = false) {}

  /**
   * a·b + c on f32 lanes: with relaxed SIMD one f32x4.relaxed_madd, which the engine runs fused
   * (one rounding) where the processor has FMA and as a multiply then an add where it has not;
   * without, that multiply and add.
   */
  madd(a: Expr, b: Expr, c: Expr): Expr {
    if (!this.relaxed) return f32x4.add(f32x4.mul(a, b), c);
    return instr('f32x4.relaxed_madd', 'v128', [a, b, c], ['v128', 'v128', 'v128'], simd(SIMD.f32x4RelaxedMadd));
  }

  local(type: ValType): Local {
    this.locals.push(type);
    return { index: this.locals.length - 1, type };
  }

  /** The vector [c, c, c, c] (c as a float32: -0 and 0 are two constants). */
  splat(c: number): Expr {
    const bits = new Uint32Array(Float32Array.of(c).buffer)[0];
    let l = this.constants.get(bits);
    if (!l) {
      l = this.local('v128');
      this.constants.set(bits, l);
    }
    return get(l);
  }

  finish(name: string, body: Expr[]): FunctionDef {
    const prologue = [...this.constants].map(([bits, l]) => {
      const c = new Float32Array(Uint32Array.of(bits).buffer)[0];
      return set(l, v128.f32x4([c, c, c, c]));
    });
    const code = new ByteWriter();
    write(code, seq([...prologue, ...body]).code);
    return { name, locals: this.locals, body: code };
  }
}
