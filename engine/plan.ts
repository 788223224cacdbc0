// The memory plan: where each value lives in one Float32Array arena. A value occupies its
// slot from the step that produces it to the last step that reads it; then the slot is
// free for later values (first fit, lowest offset). Graph inputs and outputs are never
// freed. Every allocation happens here, before the first run.

import { sizeOf, type Graph, type Shape } from './graph/graph.js';

export interface MemoryPlan {
  /** Element offset of each value in the arena. */
  offsets: Map<string, number>;
  /** Arena length in elements: the peak of live intermediate memory, plus inputs and outputs. */
  length: number;
}

interface Slot {
  offset: number;
  size: number;
  name: string;
}

export function planMemory(graph: Graph, shapes: Map<string, Shape>, options: { keepAll?: boolean } = {}): MemoryPlan {
  const lastRead = new Map<string, number>();
  graph.nodes.forEach((node, step) => node.inputs.forEach((name) => lastRead.set(name, step)));
  const pinned = new Set([...graph.inputs.map((i) => i.name), ...graph.outputs]);

  const live: Slot[] = [];
  const offsets = new Map<string, number>();
  let length = 0;
  const place = (name: string) => {
    const size = sizeOf(shapes.get(name)!);
    live.sort((a, b) => a.offset - b.offset);
    let offset = 0;
    for (const slot of live) {
      if (slot.offset - offset >= size) break;
      offset = Math.max(offset, slot.offset + slot.size);
    }
    live.push({ offset, size, name });
    offsets.set(name, offset);
    length = Math.max(length, offset + size);
  };
  const release = (step: number) => {
    if (options.keepAll) return;
    for (let i = live.length - 1; i >= 0; i--) {
      const name = live[i].name;
      if (!pinned.has(name) && (lastRead.get(name) ?? -1) <= step) live.splice(i, 1);
    }
  };

  graph.inputs.forEach((input) => place(input.name));
  graph.nodes.forEach((node, step) => {
    node.outputs.forEach(place);
    release(step);
  });
  return { offsets, length };
}
