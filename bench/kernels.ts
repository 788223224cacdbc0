// Kernel microbenchmarks (Benchmark.js): every distinct kernel shape the model runs, on each of
// our backends. A case is one node of the optimised graph — grouped by (kind, inC, outC, H, W,
// stride, fused activation), counted — compiled alone as a one-node graph on the backend and
// timed through its step, so the very kernel the network runs is the one measured. Standalone
// ELU comes from the imported graph (the optimised graph fuses every ELU into a conv or add).
// Convolutions report GFLOP/s (2·MACs / time); the rest elements/s (elements of the first input).

import Benchmark from 'benchmark';
import type { Backend } from '../dist/engine/backends/backend.js';
import { compile } from '../dist/engine/compile.js';
import { sizeOf, type Graph, type Node, type Shape } from '../dist/engine/graph/graph.js';
import type { Activation } from '../dist/engine/graph/ops.js';
import { median } from './e2e.js';

export interface KernelCase {
  kind: string;
  /** e.g. "32→8 64×64 s1 +elu" */
  shape: string;
  /** Times this kernel runs per image in the optimised network (0: fused away there). */
  perImage: number;
  node: Node;
  inShapes: Shape[];
  /** Multiply-accumulates (convolutions), else 0. */
  macs: number;
  elements: number;
}

export interface KernelResult {
  backend: string;
  kind: string;
  shape: string;
  perImage: number;
  minUs: number;
  medianUs: number;
  maxUs: number;
  samples: number;
  /** 2·MACs / median time, for convolutions (else null). */
  gflops: number | null;
  /** Elements / median time, for the elementwise kernels (else null). */
  gelemsPerSecond: number | null;
}

export interface KernelOptions {
  /** Benchmark.js maxTime per case, seconds. */
  maxTime: number;
  minSamples: number;
  /** Only cases whose kind contains this text. */
  filter?: string;
  log(line: string): void;
}

const activationSuffix = (a: Activation) =>
  a.kind === 'none' ? '' : a.kind === 'relu' ? (a.negativeSlope ? ' +leaky' : ' +relu') : ` +${a.kind}`;

function describe(node: Node, inShapes: Shape[], outShape: Shape): { kind: string; shape: string; macs: number } {
  const [, c, h, w] = inShapes[0];
  const at = `${h}×${w}`;
  switch (node.op) {
    case 'Conv': {
      const { kernel: [kh, kw], stride, group, activation } = node.attrs;
      const macs = sizeOf(outShape) * (c / group) * kh * kw;
      const kind = kh === 1 && kw === 1 && group === 1 ? 'pointwise 1×1'
        : group === c && group === outShape[1] ? `depthwise ${kh}×${kw}`
        : `conv ${kh}×${kw}${group > 1 ? ` g${group}` : ''}`;
      return { kind, shape: `${c}→${outShape[1]} ${at} s${stride[0]}${activationSuffix(activation)}`, macs };
    }
    case 'Pool': {
      const { method, kernel, stride, global } = node.attrs;
      const kind = global ? `global ${method}-pool` : `${method}-pool ${kernel[0]}×${kernel[1]}`;
      return { kind, shape: `${c} ${at} s${stride[0]}`, macs: 0 };
    }
    case 'Eltwise': {
      const { operation, activation } = node.attrs;
      const kind = operation === 'sum' ? 'eltwise add' : `eltwise ${operation}`;
      return { kind, shape: `${c} ${at}${activationSuffix(activation)}`, macs: 0 };
    }
    case 'Scale': return { kind: 'scale (per channel)', shape: `${c} ${at}`, macs: 0 };
    case 'Elu': return { kind: 'elu', shape: `${c} ${at}`, macs: 0 };
    default: return { kind: node.op.toLowerCase(), shape: inShapes.map((s) => `[${s}]`).join(' '), macs: 0 };
  }
}

/** The distinct kernels of `optimised` (shapes at batch 1), plus the standalone ELUs of `imported`. */
export function kernelCases(optimised: Graph, optimisedShapes: Map<string, Shape>, imported: Graph, importedShapes: Map<string, Shape>): KernelCase[] {
  const cases = new Map<string, KernelCase>();
  const add = (node: Node, shapes: Map<string, Shape>, counts: boolean) => {
    const inShapes = node.inputs.map((n) => shapes.get(n)!);
    const { kind, shape, macs } = describe(node, inShapes, shapes.get(node.outputs[0])!);
    const key = `${kind}|${shape}`;
    const existing = cases.get(key);
    if (existing) { if (counts) existing.perImage++; return; }
    cases.set(key, { kind, shape, perImage: counts ? 1 : 0, node, inShapes, macs, elements: sizeOf(inShapes[0]) });
  };
  for (const node of optimised.nodes) add(node, optimisedShapes, true);
  for (const node of imported.nodes) if (node.op === 'Elu') add(node, importedShapes, false);
  const order = (k: KernelCase) => (k.node.op === 'Conv' ? (k.kind.startsWith('conv') ? 0 : k.kind.startsWith('depthwise') ? 1 : 2) : 3);
  return [...cases.values()].sort((a, b) => order(a) - order(b) || a.kind.localeCompare(b.kind) || b.elements - a.elements);
}

/** Deterministic values in [-1, 1) (mulberry32): half the ELUs take the exp path, as in the net. */
function randomFill(data: Float32Array, seed: number) {
  for (let i = 0; i < data.length; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    data[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
}

/** The case's node alone as a one-node graph (its weights in its attrs). */
export function kernelGraph(k: KernelCase): Graph {
  return {
    name: `kernel ${k.kind} ${k.shape}`,
    inputs: k.node.inputs.map((name, i) => ({ name, shape: k.inShapes[i] })),
    outputs: k.node.outputs,
    nodes: [k.node],
  };
}

/** The case's inputs, filled with deterministic values. */
export function kernelInputs(k: KernelCase): Record<string, Float32Array> {
  return Object.fromEntries(k.inShapes.map((shape, i) => {
    const data = new Float32Array(sizeOf(shape));
    randomFill(data, 17 + i);
    return [k.node.inputs[i], data];
  }));
}

/** A result row from the case and its timings (µs): GFLOP/s for convolutions, else Gelem/s, from the median. */
export function kernelResult(k: KernelCase, backend: string, sampleUs: number[]): KernelResult {
  const medianUs = median(sampleUs);
  return {
    backend, kind: k.kind, shape: k.shape, perImage: k.perImage,
    minUs: Math.min(...sampleUs), medianUs, maxUs: Math.max(...sampleUs), samples: sampleUs.length,
    gflops: k.macs ? (2 * k.macs) / (medianUs * 1e3) : null,
    gelemsPerSecond: k.macs ? null : k.elements / (medianUs * 1e3),
  };
}

/** Compiles the case's node alone on `backend` and returns its one step, inputs filled. */
function singleStep(k: KernelCase, backend: Backend): () => void {
  const graph = kernelGraph(k);
  const net = compile(graph, { optimize: false, backend });
  net.setInputs(kernelInputs(k));
  if (net.steps.length !== 1) throw new Error(`${graph.name}: ${net.steps.length} steps, expected 1`);
  return net.steps[0].run as () => void;
}

export function runKernels(cases: KernelCase[], backends: Backend[], options: KernelOptions): KernelResult[] {
  const results: KernelResult[] = [];
  for (const k of cases) {
    if (options.filter && !k.kind.includes(options.filter)) continue;
    for (const backend of backends) {
      const run = singleStep(k, backend);
      for (let i = 0; i < 3; i++) run(); // warm-up: JIT, caches
      const bench = new Benchmark(`${backend.name} ${k.kind} ${k.shape}`, () => run(), {
        maxTime: options.maxTime, minTime: options.maxTime / 10, minSamples: options.minSamples, initCount: 1,
      });
      bench.run();
      if (bench.error) throw bench.error;
      const result = kernelResult(k, backend.name, bench.stats.sample.map((s) => s * 1e6));
      const { medianUs } = result;
      results.push(result);
      options.log(`  ${backend.name.padEnd(5)} ${k.kind.padEnd(20)} ${k.shape.padEnd(26)} ${medianUs.toFixed(1).padStart(9)} µs`);
    }
  }
  return results;
}
