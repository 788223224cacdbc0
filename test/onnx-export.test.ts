import { it } from 'vitest';
import { loadCaffe } from '../importer/caffe/index.js';
import { optimize } from '../engine/graph/passes/index.js';
import { inferGraphShapes, inputShapes } from '../engine/graph/shapes.js';
import { RMNET_PROTOTXT, RMNET_CAFFEMODEL, MTCNN_DIR } from './helpers/shared.js';

it('peek', async () => {
  for (const [p, m] of [[RMNET_PROTOTXT, RMNET_CAFFEMODEL], ...['det1', 'det2', 'det3', 'det4'].map((d) => [`${MTCNN_DIR}${d}.prototxt`, `${MTCNN_DIR}${d}.caffemodel`])]) {
    const g = await loadCaffe(p, m);
    const o = optimize(g).graph;
    for (const graph of [g, o]) {
      const counts: Record<string, number> = {};
      for (const n of graph.nodes) counts[n.op] = (counts[n.op] ?? 0) + 1;
      console.log(graph.name, JSON.stringify(graph.inputs), graph.outputs, JSON.stringify(counts));
      const shapes = inferGraphShapes(graph, inputShapes(graph));
      for (const n of graph.nodes) if (['Pool', 'Reshape', 'Flatten', 'InnerProduct', 'Slice', 'Concat', 'Softmax', 'Eltwise', 'Scale'].includes(n.op)) console.log('  ', n.name, n.op, JSON.stringify(n.attrs), n.inputs.map((i) => shapes.get(i)), '->', n.outputs.map((i) => shapes.get(i)));
    }
  }
});
