// The four MTCNN nets: found in the model folders, imported once, compiled once per input
// shape they meet (P-Net takes any image size; the others run on batches).

import type { Backend } from '../../engine/backends/backend.js';
import { compile, type CompiledModel } from '../../engine/compile.js';
import { ModelError, type Graph, type Shape } from '../../engine/graph/graph.js';
import { findModelFiles, type CaffeFiles } from '../../importer/models.js';

/** The folder, beside the other models, holding det1 … det4 .prototxt and .caffemodel. */
export const MTCNN = 'mtcnn';
export const MTCNN_NETS = ['det1', 'det2', 'det3', 'det4'] as const;
export type MtcnnNetName = (typeof MTCNN_NETS)[number];

/** Finds det1 … det4 (.prototxt, .caffemodel) in the first models folder holding all four (see models.ts). */
export function findMtcnn(models?: string): Record<MtcnnNetName, CaffeFiles> {
  const files = MTCNN_NETS.flatMap((net) => [`${net}.prototxt`, `${net}.caffemodel`]);
  const paths = findModelFiles('MTCNN models', MTCNN, [{ files, shown: 'det{1,2,3,4}.{prototxt,caffemodel}' }], models);
  return Object.fromEntries(MTCNN_NETS.map((net, i) => [net, { prototxt: paths[2 * i], caffemodel: paths[2 * i + 1] }])) as
    Record<MtcnnNetName, CaffeFiles>;
}

/** Compiled shapes kept per net (the most recently used). */
const KEEP_COMPILED = 24;
/** Largest batch run at once; a batch is cut into powers of two up to this, so few shapes are compiled. */
const MAX_BATCH = 16;

export class MtcnnNet {
  private readonly compiled = new Map<string, CompiledModel>();
  readonly input: string;

  /**
   * `outputs`: the outputs the caller will read; the graph must have them. `backend`: where the
   * net runs (default the CPU kernels); it must be synchronous, as `run` is.
   */
  constructor(readonly graph: Graph, outputs: readonly string[], private readonly backend?: Backend) {
    if (backend?.async) {
      throw new ModelError(`${graph.name}: the ${backend.name} backend is asynchronous; MTCNN runs synchronously (use cpu or simd)`);
    }
    if (graph.inputs.length !== 1) throw new ModelError(`${graph.name}: an MTCNN net has one input, found ${graph.inputs.length}`);
    const missing = outputs.filter((name) => !graph.outputs.includes(name));
    if (missing.length > 0) {
      throw new ModelError(`${graph.name}: no output ${missing.map((m) => `'${m}'`).join(', ')} (outputs: ${graph.outputs.join(', ')})`);
    }
    this.input = graph.inputs[0].name;
  }

  /** Runs the net on one input of the given shape. */
  run(shape: Shape, input: Float32Array): Record<string, Float32Array> {
    return this.compiledFor(shape).run({ [this.input]: input });
  }

  /** The shape of output `name` for an input of the given shape. */
  outputShape(shape: Shape, name: string): Shape {
    return this.compiledFor(shape).shapes.get(name)!;
  }

  /**
   * Runs the net on `count` items of shape `item` (without the batch), `fill(i, target, offset)`
   * writing item i into the batch; returns each output for all items, back to back.
   */
  runBatched(count: number, item: Shape, fill: (i: number, target: Float32Array, offset: number) => void): Record<string, Float32Array> {
    const itemSize = item.reduce((a, b) => a * b, 1);
    const parts: Record<string, Float32Array>[] = [];
    for (let start = 0; start < count;) {
      const batch = Math.min(MAX_BATCH, 2 ** Math.floor(Math.log2(count - start)));
      const input = new Float32Array(batch * itemSize);
      for (let i = 0; i < batch; i++) fill(start + i, input, i * itemSize);
      parts.push(this.run([batch, ...item], input));
      start += batch;
    }
    return Object.fromEntries(this.graph.outputs.map((name) => {
      const all = new Float32Array(parts.reduce((n, part) => n + part[name].length, 0));
      let at = 0;
      for (const part of parts) {
        all.set(part[name], at);
        at += part[name].length;
      }
      return [name, all];
    }));
  }

  private compiledFor(shape: Shape): CompiledModel {
    const key = shape.join('x');
    let model = this.compiled.get(key);
    if (model) {
      this.compiled.delete(key);
    } else {
      model = compile(this.graph, { inputShapes: { [this.input]: shape }, backend: this.backend });
      if (this.compiled.size >= KEEP_COMPILED) this.compiled.delete(this.compiled.keys().next().value!);
    }
    this.compiled.set(key, model);
    return model;
  }
}
