// The memory plan: where each value, and each kernel's scratch, lives in one Float32Array arena.
// Views (kernel-node.ts 'view') put a value inside another; the outermost value holding others is a
// block, which occupies its slot from the first step writing any value in it to the last step
// reading one; then the slot is free for later blocks (first fit, lowest offset). A kernel's
// scratch is a block of its own step (16-byte aligned). Graph inputs and outputs are never freed.
// Every allocation happens here, before the first run.

import { sizeOf } from './graph/graph.js';
import type { Program } from './lower/kernel-node.js';

export interface MemoryPlan {
  /** Element offset of each value in the arena (a view's inside the value it views). */
  offsets: Map<string, number>;
  /** Element offset of each kernel's scratch, by kernel index (a multiple of 4). */
  scratch: number[];
  /** Arena length in elements: the peak of live blocks, inputs and outputs included. */
  length: number;
}

interface Slot {
  offset: number;
  size: number;
  block: string;
}

export function planMemory(program: Program, options: { keepAll?: boolean } = {}): MemoryPlan {
  // Each value's block, and its offset in it.
  const parent = new Map<string, { of: string; offset: number }>();
  for (const k of program.kernels) {
    if (k.variant !== 'view') continue;
    const [whole, ...parts] = k.view.into === 'input' ? [k.inputs[0], ...k.outputs] : [k.outputs[0], ...k.inputs];
    parts.forEach((part, t) => parent.set(part, { of: whole, offset: k.view.offsets[t] }));
  }
  const blockOf = (name: string) => {
    let offset = 0;
    for (let p = parent.get(name); p; p = parent.get(name)) {
      offset += p.offset;
      name = p.of;
    }
    return { block: name, offset };
  };

  // When each block is first written (-1: a graph input) and last read (Infinity: pinned).
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const written = (name: string, step: number) => {
    const { block } = blockOf(name);
    if (!first.has(block)) first.set(block, step);
  };
  const read = (name: string, step: number) => {
    const { block } = blockOf(name);
    last.set(block, Math.max(last.get(block) ?? -1, step));
  };
  program.inputs.forEach(({ name }) => written(name, -1));
  program.kernels.forEach((k, step) => {
    k.outputs.forEach((name) => written(name, step));
    k.inputs.forEach((name) => read(name, step));
  });
  [...program.inputs.map((i) => i.name), ...program.outputs].forEach((name) => read(name, Infinity));

  const live: Slot[] = [];
  let length = 0;
  const place = (block: string, size: number, align = 1): number => {
    live.sort((a, b) => a.offset - b.offset);
    let offset = 0;
    for (const slot of live) {
      if (slot.offset - offset >= size) break;
      offset = Math.ceil(Math.max(offset, slot.offset + slot.size) / align) * align;
    }
    live.push({ offset, size, block });
    length = Math.max(length, offset + size);
    return offset;
  };
  const blockAt = new Map<string, number>();
  const placeBlocks = (names: string[], step: number) => {
    for (const name of names) {
      const { block } = blockOf(name);
      if (!blockAt.has(block) && first.get(block) === step) blockAt.set(block, place(block, sizeOf(program.shapes.get(block)!)));
    }
  };
  const release = (step: number) => {
    for (let i = live.length - 1; i >= 0; i--) {
      const block = live[i].block;
      if (block === '' || (!options.keepAll && (last.get(block) ?? -1) <= step)) live.splice(i, 1);
    }
  };

  placeBlocks(program.inputs.map((i) => i.name), -1);
  const scratch = program.kernels.map((k, step) => {
    placeBlocks(k.outputs, step);
    const at = k.scratch > 0 ? place('', k.scratch, 4) : 0;
    release(step);
    return at;
  });

  const offsets = new Map<string, number>();
  for (const name of program.shapes.keys()) {
    const { block, offset } = blockOf(name);
    offsets.set(name, blockAt.get(block)! + offset);
  }
  return { offsets, scratch, length };
}
