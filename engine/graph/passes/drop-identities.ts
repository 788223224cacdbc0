// Drops the nodes that compute nothing at inference: Dropout, and Split (every output a copy).
// Their readers read the input instead (ncnn's eliminate_dropout / eliminate_split).

import type { PassResult } from './pass.js';
import { keepOutputNames, rename } from './pass.js';
import type { Graph } from '../graph.js';

export function dropIdentities(graph: Graph): PassResult {
  const renames = new Map<string, string>();
  const changes: string[] = [];
  const inputNames = new Set(graph.inputs.map((i) => i.name));
  const nodes = graph.nodes.filter((node) => {
    if (node.op !== 'Dropout' && node.op !== 'Split') return true;
    const source = renames.get(node.inputs[0]) ?? node.inputs[0];
    // A graph input cannot be renamed to a graph output's name: keep such a node.
    if (inputNames.has(source) && node.outputs.some((out) => graph.outputs.includes(out))) return true;
    for (const out of node.outputs) renames.set(out, source);
    changes.push(`dropped ${node.op} '${node.name}'`);
    return false;
  });
  return { graph: keepOutputNames(rename({ ...graph, nodes }, renames), graph.outputs, renames), changes };
}
