// The four MTCNN nets: found in the model folders, imported once, compiled once per input
// shape they meet (P-Net runs on tiles of a few sizes, the others on batches of powers of two),
// and run in place: inputs are written straight into the compiled net's memory and outputs read
// from it, so a run allocates nothing in proportion to its data. A net's shapes share one memory
// (MemoryShare), so each new shape does not allocate its own arena and constants.

import { MemoryShare, type Backend } from '../../engine/backends/backend.js';
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

/** Compiled shapes kept per net, the most recently used: the P-Net tiles of several photo sizes (see tiles.ts). */
const KEEP_COMPILED = 96;

/** A net's outputs after a run: views of its memory, valid until it next runs (at any shape). */
export type Outputs = Record<string, Float32Array>;

/** A compiled shape, with views of its input and outputs in its memory (which never moves). */
interface Compiled {
  model: CompiledModel;
  input: Float32Array;
  outputs: Outputs;
}

export class MtcnnNet {
  private readonly compiled = new Map<string, Compiled>();
  private readonly share = new MemoryShare();
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

  /**
   * Runs the net on an input of the given shape that `fill` writes in place (into the net's own
   * memory: nothing is copied in or out); returns views of the outputs.
   */
  run(shape: Shape, fill: (input: Float32Array) => void): Outputs {
    const { model, input, outputs } = this.compiledFor(shape);
    fill(input);
    for (const step of model.steps) step.run();
    return outputs;
  }

  /** The shape of output `name` for an input of the given shape. */
  outputShape(shape: Shape, name: string): Shape {
    return this.compiledFor(shape).model.shapes.get(name)!;
  }

  /**
   * Runs the net on `count` items of shape `item` (without the batch): in full batches of
   * `maxBatch`, then the rest in one batch of the next power of two (its last places unused), so
   * few shapes are compiled (each new one costs far more than running a few unused places):
   * `fill(i, input, offset)` writes item i into its batch, `take(i, outputs, j)` reads its
   * results, item j of that batch's outputs.
   */
  runBatched(count: number, item: Shape, maxBatch: number,
    fill: (i: number, input: Float32Array, offset: number) => void, take: (i: number, outputs: Outputs, j: number) => void): void {
    const itemSize = item.reduce((a, b) => a * b, 1);
    for (let start = 0; start < count;) {
      const items = Math.min(maxBatch, count - start);
      const batch = Math.min(maxBatch, 2 ** Math.ceil(Math.log2(items)));
      const outputs = this.run([batch, ...item], (input) => {
        for (let j = 0; j < items; j++) fill(start + j, input, j * itemSize);
      });
      for (let j = 0; j < items; j++) take(start + j, outputs, j);
      start += items;
    }
  }

  private compiledFor(shape: Shape): Compiled {
    const key = shape.join('x');
    let compiled = this.compiled.get(key);
    if (compiled) {
      this.compiled.delete(key);
    } else {
      const model = compile(this.graph, { inputShapes: { [this.input]: shape }, backend: this.backend, share: this.share });
      compiled = { model, input: model.value(this.input), outputs: Object.fromEntries(model.graph.outputs.map((name) => [name, model.value(name)])) };
      if (this.compiled.size >= KEEP_COMPILED) this.compiled.delete(this.compiled.keys().next().value!);
    }
    this.compiled.set(key, compiled);
    return compiled;
  }
}
