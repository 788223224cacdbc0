// RMNet face embeddings: image → 128x128 RGB tensor (0..255) → net → L2-normalised 128 numbers.

import { compile, type CompiledModel } from '../engine/compile.js';
import type { Backend } from '../engine/backends/backend.js';
import { backendFor, defaultDevice, type Device } from '../engine/devices.js';
import { ModelError, type Graph } from '../engine/graph/graph.js';
import type { Pool } from '../engine/pool.js';
import { checkFiniteOutputs } from '../engine/graph/validate.js';
import { loadModel } from '../importer/index.js';
import { RMNET } from './models.js';
import { toPixels, type ImageInput } from './image-input.js';
import { resizeInto } from './preprocess.js';
import { normalize } from './vector.js';

// Re-exported: the embedding's users compare with these.
export { cosine, normalize } from './vector.js';

export const INPUT_SIZE = 128;
const PLANE = 3 * INPUT_SIZE * INPUT_SIZE;
/** Most faces per run of the net (compiled once per batch size: 1, 2, 4 and 8). */
const MAX_BATCH = 8;

export interface EmbedderOptions {
  /** Folder holding the model folders (see models.ts for the search order). */
  models?: string;
  /** A model name (default face-reidentification-retail-0001), or its file: .prototxt or OpenVINO .xml. */
  model?: string;
  /** The weights file when `model` is a file and they are not beside it with the same stem. */
  weights?: string;
  /** Also embed each face's mirror image and average the two (see `embedTensor`). */
  flip?: boolean;
  /** Where the net runs: a device name (default: simd where available, else cpu; see engine/devices.ts)… */
  device?: Device;
  /** …or a backend object (overrides `device`). */
  backend?: Backend;
  /**
   * Threads each run of the net uses (default 1). With 2 (Node; cpu or simd), a worker thread
   * holding its own copy of the net takes the second half of each run's images (with flip: the
   * mirror images) while this thread does the first; call close() when done.
   */
  threads?: number;
}

export class Embedder {
  private readonly compiled = new Map<number, CompiledModel>();
  /** Where a run's images and their mirror images are put together, kept from run to run: a fresh
   *  array each time cost ~1 ms a face in first touches of its pages. The net copies its input in
   *  before the run's first await, so a later run may rewrite it. */
  private mirrored = new Float32Array(0);

  private constructor(readonly graph: Graph, readonly flip: boolean, private readonly backend?: Backend, private readonly helper?: Pool) {
    if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
      throw new ModelError(`${graph.name}: an embedding net has one input and one output`);
    }
  }

  static async load(options: EmbedderOptions = {}): Promise<Embedder> {
    const threads = options.threads ?? 1;
    if (threads !== 1 && threads !== 2) throw new RangeError(`Embedder: threads must be 1 or 2, got ${threads}`);
    const graph = await loadModel({ model: options.model ?? RMNET, weights: options.weights, models: options.models });
    const backend = options.backend ?? await backendFor(options.device ?? defaultDevice());
    if (threads === 1) return new Embedder(graph, options.flip ?? false, backend);
    if (backend.name !== 'cpu' && backend.name !== 'simd') throw new RangeError(`Embedder: 2 threads need the cpu or simd device, not ${backend.name}`);
    const { createPool } = await import('../engine/pool.js'); // Node's worker threads: loaded only when asked for
    return new Embedder(graph, options.flip ?? false, backend, await createPool({ graph, threads: 1, device: backend.name, relaxed: backend.relaxed }));
  }

  /**
   * An embedder for a graph already imported (e.g. from bytes fetched in a browser). `helper`: a
   * pool of one worker holding the same graph (createPool; a browser's `spawn` starts a Web
   * Worker on web/pool-worker.ts), which then takes the second half of each run as with 2 threads.
   */
  static fromGraph(graph: Graph, options: { flip?: boolean; backend?: Backend; helper?: Pool } = {}): Embedder {
    return new Embedder(graph, options.flip ?? false, options.backend, options.helper);
  }

  /** Stops the worker thread of 2 threads, if any. */
  async close(): Promise<void> {
    await this.helper?.close();
  }

  /** The net compiled for a batch size, compiled once. */
  private net(batch: number): CompiledModel {
    let net = this.compiled.get(batch);
    if (!net) {
      net = compile(this.graph, { batch, backend: this.backend });
      this.compiled.set(batch, net);
    }
    return net;
  }

  /**
   * Embeds network inputs: `batch` NCHW RGB tensors of 3x128x128, values 0..255, back to back.
   * With flip, each face's left-right mirror image runs in the same batch and the result is
   * normalize(normalize(e) + normalize(e_mirrored)).
   */
  async embedTensor(input: Float32Array, batch = 1, flip = this.flip): Promise<Float32Array[]> {
    const result: Float32Array[] = [];
    for (let start = 0; start < batch;) {
      // Runs of 8, 4, 2 or 1 faces, so that only four batch sizes are ever compiled (each compile
      // costs 0.3–0.5 s with the simd backend; a video's face count changes from frame to frame).
      const count = Math.min(MAX_BATCH, 2 ** Math.floor(Math.log2(batch - start)));
      result.push(...await this.embedChunk(input.subarray(start * PLANE, (start + count) * PLANE), count, flip));
      start += count;
    }
    return result;
  }

  /** One run of the net on `batch` faces (with their mirror images when flipping). */
  private async embedChunk(input: Float32Array, batch: number, flip: boolean): Promise<Float32Array[]> {
    if (flip && this.mirrored.length < 2 * input.length) this.mirrored = new Float32Array(2 * input.length);
    const images = flip ? withMirrors(input, this.mirrored.subarray(0, 2 * input.length)) : input;
    const runs = flip ? 2 * batch : batch;
    const output = await this.run(images, runs);
    const size = output.length / runs;
    const embedding = (i: number) => normalize(output.slice(i * size, (i + 1) * size));
    return Array.from({ length: batch }, (_, i) => {
      if (!flip) return embedding(i);
      const [a, b] = [embedding(i), embedding(batch + i)];
      return normalize(a.map((v, k) => v + b[k]));
    });
  }

  /** The net's outputs for `runs` images, back to back: the second half on the helper thread, if any, while this one does the first. */
  private async run(images: Float32Array, runs: number): Promise<Float32Array> {
    const here = this.helper ? runs >> 1 || runs : runs;
    const theirs = here < runs ? this.helper!.run(images.slice(here * PLANE), runs - here) : undefined; // posted before this thread gets busy
    theirs?.catch(() => undefined); // awaited below; should this thread's run fail first, theirs is not left unhandled
    const outputs = await this.net(here).runAsync({ [this.graph.inputs[0].name]: images.subarray(0, here * PLANE) });
    let output = outputs[this.graph.outputs[0]];
    if (theirs) {
      const mine = output;
      output = new Float32Array((mine.length / here) * runs);
      output.set(mine);
      output.set(await theirs, mine.length);
    }
    checkFiniteOutputs({ [this.graph.outputs[0]]: output }, this.graph.name);
    return output;
  }

  /** Embeds one image (file path, encoded JPEG/PNG bytes, or raw RGB/RGBA pixels). */
  async embed(image: ImageInput): Promise<Float32Array> {
    return (await this.embedMany([image]))[0];
  }

  /** Embeds images in order, decoding and running the net on up to 8 at a time. */
  async embedMany(images: ImageInput[]): Promise<Float32Array[]> {
    const result: Float32Array[] = [];
    for (let start = 0; start < images.length; start += MAX_BATCH) {
      const chunk = images.slice(start, start + MAX_BATCH);
      const input = new Float32Array(chunk.length * PLANE);
      for (const [i, image] of chunk.entries()) resizeInto(await toPixels(image), input, i * PLANE, INPUT_SIZE);
      result.push(...await this.embedTensor(input, chunk.length));
    }
    return result;
  }
}

/** `out`: the batch followed by its left-right mirror images (each row of each plane reversed). */
function withMirrors(input: Float32Array, out: Float32Array): Float32Array {
  out.set(input);
  const w = INPUT_SIZE;
  for (let row = 0; row < input.length / w; row++) {
    const from = row * w;
    const to = input.length + from;
    for (let x = 0; x < w; x++) out[to + x] = input[from + w - 1 - x];
  }
  return out;
}
