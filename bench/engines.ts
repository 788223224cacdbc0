// The engines the benchmark compares, each opened the same way: a configuration and a model in,
// a `run(one batch of NCHW input) → every output, by name` out. The model is RMNet (batches of
// faces) or one MTCNN net at a fixed input shape (the detector section). Every library is
// imported inside its opener, so a child process measuring one engine's peak RSS loads that
// engine and nothing else.
//   facereid          our engine: compile(graph, { backend, batch }) on each of our backends
//   facereid-pool     our worker pool (engine/pool.ts, planned): one image per worker
//   onnxruntime-node  native onnxruntime on the exported ONNX (the ceiling)
//   onnxruntime-web   onnxruntime's WebAssembly build (SIMD) in Node, on the same ONNX file
//   tfjs              TensorFlow.js (wasm: SIMD, 1 thread; cpu: plain JS) on the same graph (tfjs-graph.ts)

import { readFileSync } from 'node:fs';

export type EngineName = 'facereid' | 'facereid-pool' | 'onnxruntime-node' | 'onnxruntime-web' | 'tfjs';

export interface EngineConfig {
  engine: EngineName;
  /** facereid: our backend's name; onnxruntime-node: native; onnxruntime-web: wasm; tfjs: wasm or cpu. */
  backend: string;
  threads: number;
  batch: number;
  /** Labels of the detector section's runs: the net and its whole input shape. */
  model?: string;
  input?: string;
}

/** What an engine needs to load the model (resolved once by the parent). */
export interface ModelInfo {
  prototxt: string;
  caffemodel: string;
  /** The optimised graph exported to ONNX (dims after the batch fixed to inputShape's). */
  onnx: string;
  /** Input dims after the batch: [3, 128, 128] for RMNet; an MTCNN net's [3, width, height]. */
  inputShape: number[];
  /** How each engine's outputs are checked (see child.ts). */
  check: ModelCheck;
}

export type ModelCheck =
  /** RMNet: the reference faces against their published embeddings; `reference` holds inputs/ and published-embeddings.txt. */
  | { kind: 'embeddings'; reference: string }
  /** Any net: one input (raw float32 file, the whole batch) and each output the reference engine gave for it (name → file). */
  | { kind: 'outputs'; input: string; outputs: Record<string, string> };

export interface Runner {
  /** One batch of `config.batch` inputs in; every output of the graph for them out, by name (batch-major). */
  run(input: Float32Array): Promise<Record<string, Float32Array>>;
  close(): Promise<void>;
}

export const ENGINE_KEYS = ['facereid-cpu', 'facereid-simd', 'facereid-pool', 'ort-node', 'ort-web', 'tfjs-wasm', 'tfjs-cpu'];

/** The short name --engines selects by (one of ENGINE_KEYS). */
export function engineKey(config: Pick<EngineConfig, 'engine' | 'backend'>): string {
  switch (config.engine) {
    case 'facereid': return `facereid-${config.backend}`;
    case 'facereid-pool': return 'facereid-pool';
    case 'onnxruntime-node': return 'ort-node';
    case 'onnxruntime-web': return 'ort-web';
    case 'tfjs': return `tfjs-${config.backend}`;
  }
}

export const describeConfig = (c: EngineConfig) => `${c.model ? `${c.model} ${c.input} ` : ''}${engineKey(c)} t${c.threads} b${c.batch}`;

export async function openEngine(config: EngineConfig, model: ModelInfo): Promise<Runner> {
  switch (config.engine) {
    case 'facereid': return openFacereid(config, model);
    case 'facereid-pool': return openPool(config, model);
    case 'onnxruntime-node': return openOrtNode(config, model);
    case 'onnxruntime-web': return openOrtWeb(config, model);
    case 'tfjs': return openTfjs(config, model);
  }
}

async function openFacereid(config: EngineConfig, model: ModelInfo): Promise<Runner> {
  const { loadCaffe } = await import('../dist/importer/caffe/index.js');
  const { compile } = await import('../dist/engine/compile.js');
  const { backendNamed } = await import('./backends.js');
  const graph = await loadCaffe(model.prototxt, model.caffemodel);
  const input = graph.inputs[0].name;
  const net = compile(graph, { inputShapes: { [input]: [config.batch, ...model.inputShape] }, backend: await backendNamed(config.backend) });
  return { run: (data) => net.runAsync({ [input]: data }), close: async () => {} };
}

/** Our worker pool (engine/pool.ts): the imported graph, a contiguous share of the batch per worker. */
async function openPool(config: EngineConfig, model: ModelInfo): Promise<Runner> {
  const { loadCaffe } = await import('../dist/importer/caffe/index.js');
  const { createPool } = await import('../dist/engine/pool.js');
  const graph = await loadCaffe(model.prototxt, model.caffemodel);
  const pool = await createPool({ graph, threads: config.threads, device: config.backend as 'cpu' | 'simd' });
  return { run: async (data) => ({ output: await pool.run(data, config.batch) }), close: () => pool.close() };
}

async function openOrtNode(config: EngineConfig, model: ModelInfo): Promise<Runner> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(model.onnx, {
    intraOpNumThreads: config.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const [input] = session.inputNames;
  const dims = [config.batch, ...model.inputShape];
  return {
    run: async (data) => byName(await session.run({ [input]: new ort.Tensor('float32', data, dims) })),
    close: () => session.release(),
  };
}

async function openOrtWeb(config: EngineConfig, model: ModelInfo): Promise<Runner> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = config.threads;
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(model.onnx)), { executionProviders: ['wasm'] });
  const [input] = session.inputNames;
  const dims = [config.batch, ...model.inputShape];
  return {
    run: async (data) => byName(await session.run({ [input]: new ort.Tensor('float32', data, dims) })),
    close: () => session.release(),
  };
}

async function openTfjs(config: EngineConfig, model: ModelInfo): Promise<Runner> {
  const tf = await import('@tensorflow/tfjs-core');
  if (config.backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(config.threads);
  } else if (config.backend === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(config.backend))) throw new Error(`tfjs: backend '${config.backend}' did not initialise`);
  await tf.ready();
  const { loadCaffe } = await import('../dist/importer/caffe/index.js');
  const { optimize } = await import('../dist/engine/graph/passes/index.js');
  const { inferGraphShapes, inputShapes } = await import('../dist/engine/graph/shapes.js');
  const { tfjsGraph } = await import('./tfjs-graph.js');
  const { graph } = optimize(await loadCaffe(model.prototxt, model.caffemodel));
  const shapes = inferGraphShapes(graph, inputShapes(graph, { shapes: { [graph.inputs[0].name]: [config.batch, ...model.inputShape] } }));
  const net = tfjsGraph(graph, shapes);
  return { run: async (data) => net.run(data), close: async () => net.dispose() };
}

/** onnxruntime's outputs (tensors by name) as arrays by name. */
const byName = (outputs: Record<string, { data: unknown }>) =>
  Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, tensor.data as Float32Array]));
