// The column walk of the window kernels (depthwise 3x3, pooling): one output row as
// vectors of 4 outputs at ox = 0, 4, 8, ... The first run of "clean" vectors (no edge
// handling needed) runs in a loop; the others are emitted one by one with their edge cases
// resolved at generation time.

import { bump, doWhile, get, i32, set, type Expr, type FunctionBuilder, type Local } from '../../wasm/instructions.js';

/** [from, to) of the first run of trues; [-1, -1] when there is none. */
export function firstRun(flags: boolean[]): [number, number] {
  const from = flags.indexOf(true);
  let to = from;
  while (to >= 0 && to < flags.length && flags[to]) to++;
  return [from, to];
}

/**
 * Statements for one row of OW outputs. `vector(ox, x, y, baseOx)` emits the outputs ox..ox+3
 * where x and y hold the addresses of output column baseOx in the input and output rows
 * (input columns advance `xColumnBytes` per output column); xRow and yRow are column 0's.
 */
export function emitRow(fn: FunctionBuilder, OW: number, clean: (ox: number) => boolean, xRow: Local, yRow: Local,
  xColumnBytes: number, vector: (ox: number, x: Local, y: Local, baseOx: number) => Expr[]): Expr[] {
  const vectors = Array.from({ length: Math.ceil(OW / 4) }, (_, j) => 4 * j);
  const [from, to] = firstRun(vectors.map(clean));
  const xCol = fn.local('i32');
  const yCol = fn.local('i32');
  return vectors.flatMap((ox, j) => {
    if (j > from && j < to) return [];
    if (j !== from) return vector(ox, xRow, yRow, 0);
    const end = 4 * (vectors[to - 1] + 4);
    return [
      set(xCol, i32.add(get(xRow), i32.const(xColumnBytes * ox))),
      set(yCol, i32.add(get(yRow), i32.const(4 * ox))),
      doWhile([...vector(ox, xCol, yCol, ox), bump(xCol, 4 * xColumnBytes), bump(yCol, 16)],
        i32.ltU(get(yCol), i32.add(get(yRow), i32.const(end)))),
    ];
  });
}
