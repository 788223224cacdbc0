// Shape inference over a whole graph: every value's shape from the input shapes.

import { formatShape, ModelError, type Graph, type Shape } from './graph.js';
import { inferShapes } from './ops.js';

/** The graph's declared input shapes, with the batch (dim 0) and/or whole shapes overridden. */
export function inputShapes(graph: Graph, options: { batch?: number; shapes?: Record<string, Shape> } = {}): Map<string, Shape> {
  const result = new Map<string, Shape>();
  for (const input of graph.inputs) {
    let shape = options.shapes?.[input.name] ?? input.shape;
    if (options.batch !== undefined) shape = [options.batch, ...shape.slice(1)];
    if (shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new ModelError(`${graph.name}: input '${input.name}' has an invalid shape ${formatShape(shape)}`);
    }
    result.set(input.name, shape);
  }
  for (const name of Object.keys(options.shapes ?? {})) {
    if (!result.has(name)) {
      throw new ModelError(`${graph.name}: no input named '${name}' (inputs: ${graph.inputs.map((i) => i.name).join(', ')})`);
    }
  }
  return result;
}

/** Shapes of every value, checking each node reads only values produced before it. */
export function inferGraphShapes(graph: Graph, inputs: Map<string, Shape>): Map<string, Shape> {
  const shapes = new Map(inputs);
  for (const node of graph.nodes) {
    const ins = node.inputs.map((name) => {
      const shape = shapes.get(name);
      if (!shape) throw new ModelError(`${graph.name}: layer '${node.name}' (${node.op}) reads '${name}', which nothing produced before it`);
      return shape;
    });
    const outs = inferShapes(node, ins);
    node.outputs.forEach((name, i) => {
      if (shapes.has(name)) throw new ModelError(`${graph.name}: value '${name}' is produced twice (again by layer '${node.name}')`);
      shapes.set(name, outs[i]);
    });
  }
  for (const name of graph.outputs) {
    if (!shapes.has(name)) throw new ModelError(`${graph.name}: output '${name}' is never produced`);
  }
  return shapes;
}
