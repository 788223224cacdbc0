// The loop shared by the elementwise kernels (Eltwise, Scale): a tensor walked as `planes`
// runs of `count` elements, four lanes at a time, `group` vectors per loop step (so their
// activations overlap); a plane's last vector may be partial. Plane p may read per-plane
// parameters: set p % period of `bytes` bytes each, from `at`.

import { bump, doWhile, get, i32, range, set, type Expr, type FunctionBuilder, type Local } from '../../wasm/instructions.js';

export interface Slot {
  /** Byte offset of the vector from `i`. */
  offset: number;
  /** Lanes that are elements (the rest are read, within the GUARD, and not stored). */
  lanes: number;
}

export interface PlaneLayout {
  planes: number;
  count: number;
  group: number;
  params?: { at: number; period: number; bytes: number };
}

/**
 * `body(i, param, slots)` are the statements for the vectors at byte offsets i + slot.offset
 * from the start of the tensor, with `param` the address of the plane's parameters.
 */
export function emitPlanes(fn: FunctionBuilder, layout: PlaneLayout,
  body: (i: Local, param: Local, slots: Slot[]) => Expr[]): Expr[] {
  const { planes, count, group, params } = layout;
  const i = fn.local('i32');
  const param = fn.local('i32');
  const outer = fn.local('i32');
  const step = 16 * group;
  const groups = Math.floor(count / (4 * group));
  const rest = count - 4 * group * groups;
  const restSlots: Slot[] = Array.from({ length: Math.ceil(rest / 4) }, (_, v) => ({ offset: 16 * v, lanes: Math.min(4, rest - 4 * v) }));
  const plane: Expr[] = [];
  if (groups > 0) {
    const slots = Array.from({ length: group }, (_, v) => ({ offset: 16 * v, lanes: 4 }));
    const end = fn.local('i32');
    plane.push(set(end, i32.add(get(i), i32.const(step * groups))),
      doWhile([...body(i, param, slots), bump(i, step)], i32.ltU(get(i), get(end))));
  }
  if (rest > 0) plane.push(...body(i, param, restSlots), bump(i, 4 * rest));
  const start = set(i, i32.const(0));
  if (!params) return [start, range(outer, 0, planes, 1, plane)];
  const inner = fn.local('i32');
  return [start, range(outer, 0, planes / params.period, 1, [
    set(param, i32.const(params.at)),
    range(inner, 0, params.period, 1, [...plane, bump(param, params.bytes)]),
  ])];
}
