// The model targets' shared run: import (the importer validates), compile under the fuzz limits,
// run once on a fixed input at the declared shape, and refuse non-finite outputs, as the
// embedder and `facereid run` do.

import { compile } from '../../engine/compile.js';
import { ModelError, sizeOf, type Graph } from '../../engine/graph/graph.js';
import { checkFiniteOutputs } from '../../engine/graph/validate.js';
import { FUZZ_LIMITS } from '../limits.js';

export async function runModel(graph: Graph, model: string, names: string[]): Promise<void> {
  names.push(graph.name);
  const net = compile(graph, { limits: FUZZ_LIMITS });
  const inputs = Object.fromEntries(graph.inputs.map(({ name }) => {
    const data = new Float32Array(sizeOf(net.shapes.get(name)!));
    for (let i = 0; i < data.length; i++) data[i] = ((i * 37) % 256) / 128 - 1;
    return [name, data];
  }));
  checkFiniteOutputs(net.run(inputs), model);
}

export const MODEL_ERRORS = [ModelError];
