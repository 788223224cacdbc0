// The WebAssembly binary format, as much of it as the kernels need: LEB128 numbers and a
// module of plain functions over one imported memory.
//
//   module   = magic "\0asm" version 1, then sections in id order, each: id, size (LEB128), content
//   type     (1): the one signature    0x60 [] []  (every function is () => void)
//   import   (2): the memory           "env" "memory" 0x02 limits{0x00 min}
//   function (3): each function's type index (0)
//   export   (7): each function by name, kind 0x00
//   code    (10): each body: size, locals as runs (count, type), instructions, 0x0b
// Vectors (of types, functions, ...) are a LEB128 count, then the items.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128: 7 bits per byte, low first, high bit set on all but the last. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`uleb: ${value} is not a u32`);
  const out: number[] = [];
  do {
    const low = value & 0x7f;
    value = Math.floor(value / 128);
    out.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 (two's complement): stops once the rest is the sign of the last byte's bit 6. */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) throw new RangeError(`sleb: ${value} is not an i32`);
  value |= 0; // u32 constants wrap to their i32 bit pattern
  const out: number[] = [];
  for (;;) {
    const low = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (low & 0x40) === 0) || (value === -1 && (low & 0x40) !== 0);
    out.push(done ? low : low | 0x80);
    if (done) return out;
  }
}

/** A float32 as its 4 little-endian bytes. */
export const f32Bytes = (value: number): number[] => [...new Uint8Array(Float32Array.of(value).buffer)];

/** Bytes appended to a buffer that grows as needed. */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  length = 0;

  byte(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(2 * this.buffer.length);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  bytes(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.byte(values[i]);
  }

  uleb(value: number): void {
    this.bytes(uleb(value));
  }

  /** A name: its UTF-8 length, then the bytes. */
  name(text: string): void {
    const utf8 = new TextEncoder().encode(text);
    this.uleb(utf8.length);
    this.bytes(utf8);
  }

  /** A length-prefixed copy of another writer's bytes. */
  sized(content: ByteWriter): void {
    this.uleb(content.length);
    this.bytes(content.result());
  }

  result(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }
}

export interface FunctionDef {
  /** Export name. */
  name: string;
  /** Its locals, in index order (the functions take no parameters and return nothing). */
  locals: ValType[];
  /** Instructions, without the final `end`. */
  body: ByteWriter;
}

/** A module importing env.memory (at least `pages` 64 KiB pages) and exporting every function, each `() => void`. */
export function encodeModule(functions: FunctionDef[], pages: number): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter();
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, write: (w: ByteWriter) => void) => {
    const content = new ByteWriter();
    write(content);
    out.byte(id);
    out.sized(content);
  };
  section(1, (w) => w.bytes([1, 0x60, 0, 0])); // one type: no params, no results
  section(2, (w) => {
    w.uleb(1);
    w.name('env');
    w.name('memory');
    w.bytes([0x02, 0x00]); // limits: a minimum only, so a larger memory shared by several modules fits
    w.uleb(pages);
  });
  section(3, (w) => {
    w.uleb(functions.length);
    functions.forEach(() => w.uleb(0));
  });
  section(7, (w) => {
    w.uleb(functions.length);
    functions.forEach((f, i) => {
      w.name(f.name);
      w.byte(0x00);
      w.uleb(i);
    });
  });
  section(10, (w) => {
    w.uleb(functions.length);
    for (const f of functions) {
      const code = new ByteWriter();
      const runs: [number, ValType][] = [];
      for (const t of f.locals) {
        if (runs.length > 0 && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
        else runs.push([1, t]);
      }
      code.uleb(runs.length);
      for (const [count, t] of runs) {
        code.uleb(count);
        code.byte(VALTYPE[t]);
      }
      code.bytes(f.body.result());
      code.byte(0x0b);
      w.sized(code);
    }
  });
  return out.result();
}
