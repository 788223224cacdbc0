// RMNet's layers as its design draws them: a stem, stages of residual blocks, a head. Found from
// the graph's structure, not from layer names, so any graph gets a grouping:
//  - a residual block ends at an Eltwise sum and holds the nodes between the value its branches
//    fork from and that sum: every node feeding one of the sum's inputs but not all of them;
//  - a stage is a run of blocks with one output shape: a block changing channels or resolution
//    starts the next;
//  - nodes in no block form the stem (before the first block), the head (after the last), a
//    transition (between two), or, in a graph without residual blocks (MTCNN), one group "layers".

import type { Graph, Shape } from '../engine/graph/graph.js';

export interface LayerGroup {
  /** 'stem', 's2.b3' (stage 2, block 3), 'transition 1', 'head' or 'layers'. */
  name: string;
  /** 'stage 2' for a residual block; the group's own name otherwise. */
  stage: string;
  residual: boolean;
  /** Indices into graph.nodes, in graph order. */
  nodes: number[];
}

/** Indices of the nodes a value depends on, its producer included. */
function ancestors(value: string, producerIndex: Map<string, number>, graph: Graph): Set<number> {
  const found = new Set<number>();
  const stack = [value];
  while (stack.length > 0) {
    const at = producerIndex.get(stack.pop()!);
    if (at === undefined || found.has(at)) continue;
    found.add(at);
    stack.push(...graph.nodes[at].inputs);
  }
  return found;
}

/** For each node, the index of the Eltwise sum whose residual block holds it, or -1. */
function blockOwners(graph: Graph): number[] {
  const producerIndex = new Map<string, number>();
  graph.nodes.forEach((node, i) => node.outputs.forEach((value) => producerIndex.set(value, i)));
  const owner = graph.nodes.map(() => -1);
  graph.nodes.forEach((node, end) => {
    if (node.op !== 'Eltwise' || node.attrs.operation !== 'sum') return;
    const branches = node.inputs.map((input) => ancestors(input, producerIndex, graph));
    const shared = (i: number) => branches.every((b) => b.has(i));
    for (const branch of branches) for (const i of branch) if (owner[i] === -1 && !shared(i)) owner[i] = end;
    owner[end] = end;
  });
  return owner;
}

/** The graph's nodes in groups, in graph order; `shapes` gives each block's output shape. */
export function groupLayers(graph: Graph, shapes: Map<string, Shape>): LayerGroup[] {
  const owner = blockOwners(graph);
  const groups: LayerGroup[] = [];
  const blocks = new Map<number, LayerGroup>();
  let plain: LayerGroup | undefined;
  owner.forEach((end, i) => {
    if (end === -1) {
      if (!plain) groups.push(plain = { name: '', stage: '', residual: false, nodes: [] });
      plain.nodes.push(i);
      return;
    }
    plain = undefined;
    let block = blocks.get(end);
    if (!block) {
      blocks.set(end, block = { name: '', stage: '', residual: true, nodes: [] });
      groups.push(block);
    }
    block.nodes.push(i);
  });
  nameGroups(groups, graph, shapes);
  return groups;
}

function nameGroups(groups: LayerGroup[], graph: Graph, shapes: Map<string, Shape>): void {
  const residual = groups.flatMap((g, i) => (g.residual ? [i] : []));
  const [first, last] = [residual[0] ?? -1, residual.at(-1) ?? -1];
  let stage = 0;
  let block = 0;
  let transitions = 0;
  let previous = '';
  groups.forEach((group, i) => {
    if (group.residual) {
      const end = graph.nodes[group.nodes[group.nodes.length - 1]];
      const output = shapes.get(end.outputs[0])!.slice(1).join('x');
      if (output !== previous) [stage, block] = [stage + 1, 0];
      previous = output;
      block++;
      group.name = `s${stage}.b${block}`;
      group.stage = `stage ${stage}`;
      return;
    }
    group.name = first === -1 ? 'layers' : i < first ? 'stem' : i > last ? 'head' : `transition ${++transitions}`;
    group.stage = group.name;
  });
}
