// The IR's edges as values: each output port becomes a value named after its layer (the layer's
// name if it has one output port, else `name:port`); every input port must be fed by exactly one
// edge from a declared output port. Layers come out in a topological order of the edges.

import { ModelError } from '../../engine/graph/graph.js';
import { label, type IrEdge, type IrLayer, type IrNet } from './xml.js';

export interface Wiring {
  /** The layers in a topological order (the XML's order where the edges allow it). */
  order: IrLayer[];
  /** The value read by each input port, in the ports' declaration order. */
  reads: Map<IrLayer, string[]>;
  /** The value written by each output port, in the ports' declaration order. */
  writes: Map<IrLayer, string[]>;
  /** Values no edge reads (the graph's outputs), in layer order. */
  unread: string[];
}

export function wire(net: IrNet, file: string): Wiring {
  const fail = (message: string): never => {
    throw new ModelError(`${file}: ${message}`);
  };
  const byId = new Map(net.layers.map((layer) => [layer.id, layer]));
  const writes = new Map<IrLayer, string[]>();
  const producer = new Map<string, IrLayer>();
  for (const layer of net.layers) {
    const names = layer.outputs.map((port) => (layer.outputs.length === 1 ? layer.name : `${layer.name}:${port.id}`));
    for (const name of names) {
      const other = producer.get(name);
      if (other) fail(`${label(other)} and ${label(layer)} both produce a value named '${name}' (layer names must be unique)`);
      producer.set(name, layer);
    }
    writes.set(layer, names);
  }

  const fed = new Map<string, { value: string; edge: IrEdge }>();
  for (const edge of net.edges) {
    const text = `edge ${edge.fromLayer}:${edge.fromPort} -> ${edge.toLayer}:${edge.toPort}`;
    const from = byId.get(edge.fromLayer) ?? fail(`${text}: no layer has id ${edge.fromLayer}`);
    const to = byId.get(edge.toLayer) ?? fail(`${text}: no layer has id ${edge.toLayer}`);
    const out = from.outputs.findIndex((port) => port.id === edge.fromPort);
    if (out < 0) fail(`${label(from)}: ${text} reads output port ${edge.fromPort}, which the layer does not declare (output ports: ${ids(from.outputs)})`);
    if (!to.inputs.some((port) => port.id === edge.toPort)) {
      fail(`${label(to)}: ${text} feeds input port ${edge.toPort}, which the layer does not declare (input ports: ${ids(to.inputs)})`);
    }
    const key = `${to.id}:${edge.toPort}`;
    const earlier = fed.get(key);
    if (earlier) fail(`${label(to)}: input port ${edge.toPort} is fed by two edges (from ${earlier.edge.fromLayer}:${earlier.edge.fromPort} and ${edge.fromLayer}:${edge.fromPort})`);
    fed.set(key, { value: writes.get(from)![out], edge });
  }

  const reads = new Map<IrLayer, string[]>();
  for (const layer of net.layers) {
    reads.set(layer, layer.inputs.map((port) => fed.get(`${layer.id}:${port.id}`)?.value
      ?? fail(`${label(layer)}: input port ${port.id} has no edge (missing edge into ${layer.id}:${port.id})`)));
  }

  const order = topologicalOrder(net.layers, (layer) => reads.get(layer)!.map((value) => producer.get(value)!), fail);
  const read = new Set([...fed.values()].map((f) => f.value));
  const unread = order.flatMap((layer) => writes.get(layer)!.filter((value) => !read.has(value)));
  return { order, reads, writes, unread };
}

/**
 * Depth-first post-order over `inputsOf`, started from each layer in file order, so the file's
 * order stands wherever the edges allow. Iterative: a chain of any length needs no call stack.
 */
function topologicalOrder(layers: IrLayer[], inputsOf: (layer: IrLayer) => IrLayer[], fail: (message: string) => never): IrLayer[] {
  const order: IrLayer[] = [];
  const state = new Map<IrLayer, 'visiting' | 'done'>();
  // The path from the current root: each layer with the index of the next input to visit.
  const path: { layer: IrLayer; inputs: IrLayer[]; next: number }[] = [];
  const enter = (layer: IrLayer) => {
    state.set(layer, 'visiting');
    path.push({ layer, inputs: inputsOf(layer), next: 0 });
  };
  for (const root of layers) {
    if (state.has(root)) continue;
    enter(root);
    while (path.length > 0) {
      const top = path[path.length - 1];
      if (top.next === top.inputs.length) {
        path.pop();
        state.set(top.layer, 'done');
        order.push(top.layer);
        continue;
      }
      const input = top.inputs[top.next++];
      if (state.get(input) === 'visiting') {
        const cycle = path.slice(path.findIndex((p) => p.layer === input)).map((p) => p.layer);
        fail(`the edges form a cycle: ${[...cycle, input].map(label).join(' -> ')}`);
      }
      if (!state.has(input)) enter(input);
    }
  }
  return order;
}

function ids(ports: { id: string }[]): string {
  return ports.length === 0 ? 'none' : ports.map((port) => port.id).join(', ');
}
