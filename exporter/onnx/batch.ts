// The exported model takes any batch: dim 0 of its inputs and outputs is the symbolic
// 'batch', every other dim is fixed. That is right only if every value's dim 0 is the batch
// and nothing else depends on it, so the shapes are inferred at two batch sizes and compared.

import { formatShape, ModelError, type Graph, type Shape } from '../../engine/graph/graph.js';
import { inferGraphShapes, inputShapes } from '../../engine/graph/shapes.js';

const same = (a: Shape, b: Shape) => formatShape(a) === formatShape(b);

/** Every value's shape at the graph's declared batch (inputs as given or overridden). */
export function batchShapes(graph: Graph, overrides?: Record<string, Shape>): Map<string, Shape> {
  function fail(what: string, reason: string): never {
    throw new ModelError(`${graph.name}: ${what}cannot export to ONNX with a dynamic batch (dim 0): ${reason}`);
  }
  const infer = (batch?: number) => inferGraphShapes(graph, inputShapes(graph, { shapes: overrides, batch }));
  if (graph.inputs.length === 0) fail('', 'the graph has no inputs');
  const shapes = infer();
  const batch = shapes.get(graph.inputs[0].name)![0];
  let other: Map<string, Shape>;
  try {
    other = infer(batch + 1);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    fail('', `at batch ${batch + 1} instead of ${batch}, ${error.message}`);
  }

  const check = (what: string, name: string) => {
    const [s, t] = [shapes.get(name)!, other.get(name)!];
    if (s[0] !== batch || t[0] !== batch + 1 || !same(s.slice(1), t.slice(1))) {
      fail(what, `'${name}' is ${formatShape(s)} at batch ${batch} and ${formatShape(t)} at batch ${batch + 1}; `
        + 'expected dim 0 to be the batch and the other dims not to change');
    }
  };
  for (const input of graph.inputs) check('', input.name);
  for (const node of graph.nodes) for (const out of node.outputs) check(`layer '${node.name}' (${node.op}): `, out);
  return shapes;
}
