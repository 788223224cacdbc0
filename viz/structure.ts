// The network seen as a chain of blocks, for pictures. A block runs from one bottleneck value to
// the next: a value that, once computed, is the only one the rest of the net still needs (in a
// residual net, the main path between residual blocks). Blocks are grouped into stages by the
// spatial size of their output, and runs of identical blocks — same ops, attributes, wiring and
// shapes — are counted instead of repeated.

import type { Graph, Node, Shape } from '../engine/graph/graph.js';

export interface Block {
  /** The value the block starts from: a graph input or the previous block's output. */
  input: string;
  /** Its nodes, in graph order. */
  nodes: Node[];
  /** The value it ends at: the next bottleneck, or the graph's first output for nodes after the last one. */
  output: string;
  /** Equal for identical blocks. */
  signature: string;
}

export interface BlockRun {
  /** The first block of the run. */
  block: Block;
  count: number;
}

export interface Stage {
  index: number;
  /** [height, width] of the values the stage's blocks end at; [1, 1] for vectors. */
  size: [number, number];
  runs: BlockRun[];
  /** The stage's last bottleneck value: the feature maps it hands on. */
  output: string;
}

/** The stages of a graph whose every value has a shape; stage 0 starts at the graph's first input. */
export function networkStages(graph: Graph, shapes: Map<string, Shape>): Stage[] {
  const input = graph.inputs[0].name;
  const stages: Stage[] = [{ index: 0, size: spatialSize(shapes.get(input)!), runs: [], output: input }];
  for (const block of blocks(graph, shapes)) {
    const size = spatialSize(shapes.get(block.output)!);
    let stage = stages[stages.length - 1];
    if (size[0] !== stage.size[0] || size[1] !== stage.size[1]) {
      stage = { index: stages.length, size, runs: [], output: block.output };
      stages.push(stage);
    }
    const last = stage.runs[stage.runs.length - 1];
    if (last && last.block.signature === block.signature) last.count++;
    else stage.runs.push({ block, count: 1 });
    stage.output = block.output;
  }
  return stages;
}

/** [H, W] of an NCHW shape; any other rank is a vector, 1x1. */
export function spatialSize(shape: Shape): [number, number] {
  return shape.length === 4 ? [shape[2], shape[3]] : [1, 1];
}

/** The graph cut at its bottleneck values, in order. */
function blocks(graph: Graph, shapes: Map<string, Shape>): Block[] {
  const cuts = bottlenecks(graph);
  if (cuts[0]?.value !== graph.inputs[0].name) cuts.unshift({ value: graph.inputs[0].name, after: -1 });
  const result: Block[] = [];
  cuts.forEach((start, i) => {
    const end = cuts[i + 1] ?? { value: graph.outputs[0], after: graph.nodes.length - 1 };
    const nodes = graph.nodes.slice(start.after + 1, end.after + 1);
    if (nodes.length > 0) result.push({ input: start.value, nodes, output: end.value, signature: signature(start.value, nodes, shapes) });
  });
  return result;
}

/** Values that are, right after they are produced, the only value still needed; with the index of their producer (-1: graph input). */
function bottlenecks(graph: Graph): { value: string; after: number }[] {
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, i) => node.inputs.forEach((name) => lastUse.set(name, i)));
  for (const name of graph.outputs) lastUse.set(name, graph.nodes.length);
  const live = new Set(graph.inputs.map((i) => i.name).filter((name) => lastUse.has(name)));
  const cuts = live.size === 1 ? [{ value: [...live][0], after: -1 }] : [];
  graph.nodes.forEach((node, i) => {
    for (const name of node.inputs) if (lastUse.get(name) === i) live.delete(name);
    for (const name of node.outputs) if (lastUse.has(name)) live.add(name);
    const [only] = live;
    if (live.size === 1 && node.outputs.includes(only)) cuts.push({ value: only, after: i });
  });
  return cuts;
}

/** Ops, attributes, wiring (inputs named by position within the block) and output shapes. */
function signature(input: string, nodes: Node[], shapes: Map<string, Shape>): string {
  const position = new Map<string, string>([[input, 'in']]);
  return nodes.map((node, i) => {
    const inputs = node.inputs.map((name) => position.get(name) ?? name);
    node.outputs.forEach((name, k) => position.set(name, `${i}.${k}`));
    const outputs = node.outputs.map((name) => shapes.get(name)!.join('x'));
    return `${node.op}${JSON.stringify(node.attrs)}(${inputs.join(',')})->${outputs.join(',')}`;
  }).join(';');
}
