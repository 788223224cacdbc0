// What every imported graph must be before anything compiles it, whatever file it came from:
// at least one input and one output, every output computed from an input, every weight and
// every numeric attribute finite. And after a run, outputs that are numbers: a model whose
// weights overflow float32 is refused, never passed on as a NaN embedding.

import { ModelError, type Graph } from './graph.js';

/** Throws a ModelError naming the file (the net's, or for a blob the weights') and the layer, blob or value at fault. */
export function validateGraph(graph: Graph, files: { model: string; weights: string }): void {
  const file = files.model;
  if (graph.inputs.length === 0) throw new ModelError(`${file}: the net declares no input`);
  if (graph.outputs.length === 0) throw new ModelError(`${file}: the net has no layers after its inputs, so no output`);
  for (const node of graph.nodes) {
    const where = `${file}: layer '${node.name}' (${node.op})`;
    for (const [blob, tensor] of Object.entries(node.weights)) {
      const bad = tensor ? countNonFinite(tensor.data) : 0;
      if (bad > 0) {
        throw new ModelError(`${files.weights}: layer '${node.name}' (${node.op}): blob '${blob}' holds ${bad} non-finite value(s) (NaN or infinity) of ${tensor!.data.length}`);
      }
    }
    const attribute = nonFiniteAttribute(node.attrs);
    if (attribute) throw new ModelError(`${where}: attribute '${attribute}' is not a finite number`);
  }
  // Nodes are in topological order, so one forward sweep finds every value an input reaches.
  const reached = new Set(graph.inputs.map((input) => input.name));
  for (const node of graph.nodes) {
    if (node.inputs.some((value) => reached.has(value))) for (const value of node.outputs) reached.add(value);
  }
  const unreached = graph.outputs.find((value) => !reached.has(value));
  if (unreached !== undefined) throw new ModelError(`${file}: output '${unreached}' is not computed from any input`);
}

/** Throws a ModelError naming `model` if any output holds NaN or infinity. */
export function checkFiniteOutputs(outputs: Record<string, Float32Array>, model: string): void {
  for (const [name, values] of Object.entries(outputs)) {
    const bad = countNonFinite(values);
    if (bad > 0) {
      throw new ModelError(`${model}: output '${name}' holds ${bad} non-finite value(s) (NaN or infinity) of ${values.length}: ` +
        'the weights overflow float32 on this input');
    }
  }
}

function countNonFinite(values: Float32Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

/** The path of the first number in an op's attributes (numbers, lists, one level of objects) that is not finite. */
function nonFiniteAttribute(attrs: object): string | undefined {
  const pending: [string, unknown][] = Object.entries(attrs);
  while (pending.length > 0) {
    const [path, value] = pending.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) return path;
    if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) pending.push([`${path}.${key}`, inner]);
    }
  }
  return undefined;
}
