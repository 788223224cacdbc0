// The detector section: each MTCNN net alone, at the input shapes the face pipeline meets on a
// large photo — P-Net at the first pyramid level of a 1919x1014 photo and at a small level,
// R-Net on a batch of 64 candidates, O-Net on 16 — on our devices and the peers, each engine in
// a child process of its own and timed round-robin exactly as RMNet is (e2e.ts). Every engine
// runs the same optimised graph (onnxruntime from its ONNX export at that shape, tfjs through
// tfjs-graph.ts) on the same deterministic input, and is checked against our cpu backend's
// outputs for it (the engine test/mtcnn.test.ts holds to OpenCV's within 1e-4).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../dist/engine/compile.js';
import { sizeOf, type Shape } from '../dist/engine/graph/graph.js';
import { optimize } from '../dist/engine/graph/passes/index.js';
import { inferGraphShapes, inputShapes } from '../dist/engine/graph/shapes.js';
import { layerCost } from '../dist/engine/stats.js';
import { exportOnnx } from '../dist/exporter/onnx/index.js';
import { loadCaffe } from '../dist/importer/caffe/index.js';
import { findMtcnn } from '../dist/rmnet/mtcnn/index.js';
import type { Job } from './e2e.js';
import { engineKey, type EngineConfig } from './engines.js';

export interface DetectorCase {
  net: 'det1' | 'det2' | 'det3';
  /** The whole input shape, batch first. */
  shape: Shape;
}

export const DETECTOR_CASES: DetectorCase[] = [
  { net: 'det1', shape: [1, 3, 608, 1151] }, // P-Net, the first level of a 1919x1014 photo's pyramid
  { net: 'det1', shape: [1, 3, 144, 192] }, // P-Net, a small level
  { net: 'det2', shape: [64, 3, 24, 24] }, // R-Net, a batch of candidates
  { net: 'det3', shape: [16, 3, 48, 48] }, // O-Net, a batch of candidates
];

export const caseInput = (c: DetectorCase) => c.shape.join('x');

/** The engines of the section, per case: our synchronous devices, then the peers at one thread (no tfjs-cpu: minutes per P-Net run). */
export function detectorConfigs(c: DetectorCase, ours: string[], engines?: string[]): EngineConfig[] {
  const labels = { batch: c.shape[0], model: c.net, input: caseInput(c), threads: 1 };
  const configs: EngineConfig[] = [
    ...ours.filter((b) => b === 'cpu' || b === 'simd').map((backend) => ({ engine: 'facereid' as const, backend, ...labels })),
    { engine: 'onnxruntime-node', backend: 'native', ...labels },
    { engine: 'onnxruntime-web', backend: 'wasm', ...labels },
    { engine: 'tfjs', backend: 'wasm', ...labels },
  ];
  return configs.filter((e) => !engines || engines.includes(engineKey(e)));
}

/** Deterministic values in [-1, 1) (a normalised image's range), from a 32-bit LCG. */
function deterministicInput(size: number, seed: number): Float32Array {
  const data = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return data;
}

export interface PreparedCase {
  case: DetectorCase;
  /** Multiply-accumulates of one run (Conv and InnerProduct). */
  macs: number;
  jobs: Job[];
}

/**
 * Everything the children need for each case, written under `dir`: the ONNX export at the case's
 * shape, the input and our cpu backend's outputs for it (raw float32); and the jobs, one per engine.
 */
export async function prepareDetector(dir: string, ours: string[], options: { models?: string; engines?: string[]; log(line: string): void }): Promise<PreparedCase[]> {
  const files = findMtcnn(options.models);
  mkdirSync(dir, { recursive: true });
  const prepared: PreparedCase[] = [];
  for (const [i, c] of DETECTOR_CASES.entries()) {
    const { prototxt, caffemodel } = files[c.net];
    const imported = await loadCaffe(prototxt, caffemodel);
    const inputName = imported.inputs[0].name;
    const { graph } = optimize(imported);
    const shapes = inferGraphShapes(graph, inputShapes(graph, { shapes: { [inputName]: c.shape } }));
    const macs = graph.nodes.reduce((sum, node) => sum + layerCost(node, shapes).macs, 0);

    const stem = join(dir, `${c.net}-${caseInput(c)}`);
    writeFileSync(`${stem}.onnx`, exportOnnx(graph, { inputShapes: { [inputName]: c.shape } }));
    const input = deterministicInput(sizeOf(c.shape), 101 + i);
    writeFileSync(`${stem}.input.f32`, input);
    const start = performance.now();
    const reference = compile(imported, { inputShapes: { [inputName]: c.shape } }).run({ [inputName]: input });
    const outputs = Object.fromEntries(Object.entries(reference).map(([name, data]) => {
      const file = `${stem}.${name.replace(/[^A-Za-z0-9._-]/g, '_')}.f32`;
      writeFileSync(file, data);
      return [name, file];
    }));
    options.log(`  ${c.net} ${caseInput(c)}: ${(2 * macs / 1e9).toFixed(2)} GFLOP a run; reference outputs (our cpu backend) in ${(performance.now() - start).toFixed(0)} ms`);
    const model = {
      prototxt, caffemodel, onnx: `${stem}.onnx`, inputShape: c.shape.slice(1),
      check: { kind: 'outputs' as const, input: `${stem}.input.f32`, outputs },
    };
    prepared.push({ case: c, macs, jobs: detectorConfigs(c, ours, options.engines).map((config) => ({ config, model })) });
  }
  return prepared;
}
