// What a pass is, and the small graph queries passes share.
// A pass never mutates its input graph: it returns a new one and one line per rewrite.

import type { Graph, Node } from '../graph.js';

export interface PassResult {
  graph: Graph;
  changes: string[];
}

export type Pass = (graph: Graph) => PassResult;

/** How many times each value is read: by nodes, plus once if it is a graph output. */
export function readCounts(graph: Graph): Map<string, number> {
  const counts = new Map<string, number>();
  const read = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const node of graph.nodes) node.inputs.forEach(read);
  graph.outputs.forEach(read);
  return counts;
}

/** The node producing each value. */
export function producers(graph: Graph): Map<string, Node> {
  const result = new Map<string, Node>();
  for (const node of graph.nodes) for (const out of node.outputs) result.set(out, node);
  return result;
}

/** Makes every reader of a value read another one instead. */
export function rename(graph: Graph, from: Map<string, string>): Graph {
  const to = (name: string) => from.get(name) ?? name;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map(to) })),
    outputs: graph.outputs.map(to),
  };
}

/**
 * The shared shape of the "absorb a node into the one before it" passes: for each node whose
 * single input comes from a node that nothing else reads, `absorb(producer, node)` may return
 * the producer rewritten to also do the node's work; the node then disappears and its readers
 * read the producer's output. Returns the new graph and a line per absorbed node.
 */
export function absorbIntoProducer(graph: Graph, absorb: (producer: Node, node: Node) => Node | undefined, verb: string): PassResult {
  const counts = readCounts(graph);
  const nodes = graph.nodes.slice();
  const index = new Map<string, number>();
  nodes.forEach((node, i) => node.outputs.forEach((out) => index.set(out, i)));
  const renames = new Map<string, string>();
  const changes: string[] = [];
  const removed = new Set<number>();
  nodes.forEach((node, i) => {
    if (node.inputs.length !== 1 || node.outputs.length !== 1) return;
    const source = renames.get(node.inputs[0]) ?? node.inputs[0];
    const at = index.get(source);
    if (at === undefined || counts.get(node.inputs[0]) !== 1 || graph.outputs.includes(node.inputs[0])) return;
    const producer = nodes[at];
    if (producer.outputs.length !== 1) return;
    const merged = absorb(producer, node);
    if (!merged) return;
    nodes[at] = merged;
    removed.add(i);
    renames.set(node.outputs[0], source);
    changes.push(`${verb} ${node.op} '${node.name}' into ${producer.op} '${producer.name}'`);
  });
  // A removed node's output may be a graph output: the producer then takes over its name.
  const result = rename({ ...graph, nodes: nodes.filter((_, i) => !removed.has(i)) }, renames);
  return { graph: keepOutputNames(result, graph.outputs, renames), changes };
}

/** Graph outputs keep their names across rewrites: the value now computing one is renamed back to it. */
export function keepOutputNames(graph: Graph, original: string[], renames: Map<string, string>): Graph {
  const back = new Map<string, string>();
  for (const name of original) {
    let current = name;
    while (renames.has(current)) current = renames.get(current)!;
    if (current !== name) back.set(current, name);
  }
  if (back.size === 0) return graph;
  const to = (name: string) => back.get(name) ?? name;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map(to), outputs: node.outputs.map(to) })),
    outputs: original,
  };
}
