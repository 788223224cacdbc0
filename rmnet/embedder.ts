// RMNet face embeddings: image → 128x128 RGB tensor (0..255) → net → L2-normalised 128 numbers.

import { compile, type CompiledModel } from '../engine/compile.js';
import type { Backend } from '../engine/backends/backend.js';
import { backendFor, defaultDevice, type Device } from '../engine/devices.js';
import { ModelError, type Graph } from '../engine/graph/graph.js';
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
}

export class Embedder {
  private readonly compiled = new Map<number, CompiledModel>();

  private constructor(readonly graph: Graph, readonly flip: boolean, private readonly backend?: Backend) {
    if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
      throw new ModelError(`${graph.name}: an embedding net has one input and one output`);
    }
  }

  static async load(options: EmbedderOptions = {}): Promise<Embedder> {
    const graph = await loadModel({ model: options.model ?? RMNET, weights: options.weights, models: options.models });
    return Embedder.fromGraph(graph, { flip: options.flip, backend: options.backend ?? await backendFor(options.device ?? defaultDevice()) });
  }

  /** An embedder for a graph already imported (e.g. from bytes fetched in a browser). */
  static fromGraph(graph: Graph, options: { flip?: boolean; backend?: Backend } = {}): Embedder {
    return new Embedder(graph, options.flip ?? false, options.backend);
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
    const images = flip ? withMirrors(input) : input;
    const runs = flip ? 2 * batch : batch;
    const outputs = await this.net(runs).runAsync({ [this.graph.inputs[0].name]: images });
    checkFiniteOutputs(outputs, this.graph.name);
    const output = outputs[this.graph.outputs[0]];
    const size = output.length / runs;
    const embedding = (i: number) => normalize(output.slice(i * size, (i + 1) * size));
    return Array.from({ length: batch }, (_, i) => {
      if (!flip) return embedding(i);
      const [a, b] = [embedding(i), embedding(batch + i)];
      return normalize(a.map((v, k) => v + b[k]));
    });
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

/** The batch followed by its left-right mirror images (each row of each plane reversed). */
function withMirrors(input: Float32Array): Float32Array {
  const out = new Float32Array(2 * input.length);
  out.set(input);
  const w = INPUT_SIZE;
  for (let row = 0; row < input.length / w; row++) {
    const from = row * w;
    const to = input.length + from;
    for (let x = 0; x < w; x++) out[to + x] = input[from + w - 1 - x];
  }
  return out;
}
