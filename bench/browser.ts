// npm run bench -- --browser: the whole model per device of the web page, in Debian's Chromium
// (web/chromium.mjs builds, serves and opens the page, as test/browser.test.ts does). For each
// device: one warm-up call of the page's hook, window.facereid.embedReference (which compiles the
// net on one face, then embeds the 9 reference faces), then N timed calls of the 9 faces (the page's
// own timing, `ms`). Rows in the Node benchmark's table format; peakRssMb is 0 (not measured: the
// page runs in Chromium's renderer, not in a process of ours).
// Then the kernels per device: bench/kernels.ts's cases (each node alone as a one-node graph),
// serialised to JSON and timed by the page's hook window.facereid.timeKernels; rows as the Node
// kernel table's (bench/report.ts kernelTable), GFLOP/s and Gelem/s by kernels.ts's kernelResult.

import { optimize } from '../dist/engine/graph/passes/index.js';
import { inferGraphShapes, inputShapes } from '../dist/engine/graph/shapes.js';
import type { Graph } from '../dist/engine/graph/graph.js';
import { loadCaffe } from '../dist/importer/caffe/index.js';
import { findModel } from '../dist/importer/models.js';
import { RMNET } from '../dist/rmnet/models.js';
import { median, type RunResult } from './e2e.js';
import { kernelCases, kernelGraph, kernelInputs, kernelResult, type KernelCase, type KernelResult } from './kernels.js';
import { cosine, FACES, l2normalise, publishedEmbeddings } from './reference.js';

export const BROWSER_DEVICES = ['cpu', 'simd', 'webgl2', 'webgl', 'webgpu'];
const GPU = new Set(['webgl2', 'webgl', 'webgpu']);
export const BROWSER_ENGINE = 'facereid (chromium)';
/** One call of the hook may take this long before the device counts as failed. */
const CALL_TIMEOUT_MS = 600_000;

interface Hook {
  facereid: {
    ready: Promise<void>;
    devices(): Promise<{ device: string; available: boolean; reason?: string; relaxedSimd?: boolean }[]>;
    embedReference(device: string, options?: { warmUp?: boolean }): Promise<{ embeddings: number[][]; ms: number; firstMs?: number }>;
    timeKernels(device: string, cases: { label: string; json: string; runs: number }[]): Promise<{ label: string; samplesUs: number[]; calls: number; compileMs: number }[]>;
  };
}

/** The few playwright Page methods used here (web/chromium.mjs is plain JS, without declarations). */
interface PageLike {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
interface ChromiumModule {
  startPage(options?: { models?: string }): Promise<{ page: PageLike; version: string; close(): Promise<void> }>;
}

export interface BrowserOptions {
  quick: boolean;
  /** Devices to run (default BROWSER_DEVICES). */
  devices?: string[];
  /** The folder holding the model folders, served at /models/ (default web/serve.mjs's own). */
  models?: string;
  /** The reference folder (published-embeddings.txt). */
  reference: string;
  log: (line: string) => void;
  /** Time the kernels per device too (default true). */
  kernels?: boolean;
}

export interface BrowserResult {
  runs: RunResult[];
  notes: string[];
  chromium: string;
  kernels: KernelResult[];
  /** Devices that timed only some kernel cases (--quick on the GPU devices). */
  partialKernels: Set<string>;
  kernelNotes: string[];
}

/** Timed samples per kernel case: 20 (GPU devices 10); quick 5 (GPU 3). */
export function kernelRuns(device: string, quick: boolean): number {
  return quick ? (GPU.has(device) ? 3 : 5) : (GPU.has(device) ? 10 : 20);
}

/** The cases a device times: all, or with --quick on a GPU device (each compile takes seconds on SwiftShader) the first of each kind. */
export function kernelCasesFor(device: string, cases: KernelCase[], quick: boolean): KernelCase[] {
  if (!(quick && GPU.has(device))) return cases;
  const kinds = new Set<string>();
  return cases.filter((k) => !kinds.has(k.kind) && kinds.add(k.kind));
}

/** The case as the page hook takes it: `{ graph, inputs }` in JSON, Float32Arrays as `{ "$f32": [...] }`. */
export function kernelJson(k: KernelCase): string {
  return JSON.stringify({ graph: kernelGraph(k), inputs: kernelInputs(k) }, (_, value: unknown) => (value instanceof Float32Array ? { $f32: Array.from(value) } : value));
}

/** RMNet's kernel cases at batch 1, as the Node benchmark builds them. */
async function rmnetKernelCases(models?: string): Promise<KernelCase[]> {
  const files = findModel(RMNET, models, ['caffe']);
  const imported = await loadCaffe(files.model, files.weights);
  const { graph: optimised } = optimize(imported);
  const shapesAt1 = (g: Graph) => inferGraphShapes(g, inputShapes(g, { batch: 1 }));
  return kernelCases(optimised, shapesAt1(optimised), imported, shapesAt1(imported));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1e3} s`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Timed calls per device: 5, or 3 with --quick (1 for the GPU devices, seconds a face on SwiftShader). */
export function timedCalls(device: string, quick: boolean): number {
  return quick ? (GPU.has(device) ? 1 : 3) : 5;
}

export async function runBrowser(o: BrowserOptions): Promise<BrowserResult> {
  const published = publishedEmbeddings(o.reference);
  const url = new URL('../web/chromium.mjs', import.meta.url).href; // from dist-bench/ and bench/ alike
  const { startPage } = await import(url) as ChromiumModule;
  const runs: RunResult[] = [];
  const notes: string[] = [];
  const kernels: KernelResult[] = [];
  const partialKernels = new Set<string>();
  const kernelNotes: string[] = [];
  const cases = o.kernels === false ? [] : await rmnetKernelCases(o.models);
  const open = performance.now();
  const started = await startPage({ models: o.models });
  o.log(`chromium ${started.version}: page ready in ${((performance.now() - open) / 1e3).toFixed(1)} s`);
  try {
    const { page } = started;
    const available = await page.evaluate(() => (window as unknown as Hook).facereid.devices(), undefined);
    const embed = (device: string, warmUp: boolean) => withTimeout(
      page.evaluate(([d, w]) => (window as unknown as Hook).facereid.embedReference(d, { warmUp: w }), [device, warmUp] as [string, boolean]),
      CALL_TIMEOUT_MS, `${device}: embedReference`);
    const simd = available.find((d) => d.device === 'simd');
    if (simd?.available) notes.push(`${BROWSER_ENGINE} simd: ${simd.relaxedSimd ? 'with' : 'without'} relaxed SIMD (f32x4.relaxed_madd)`);
    for (const device of o.devices ?? BROWSER_DEVICES) {
      const info = available.find((d) => d.device === device);
      if (!info?.available) {
        notes.push(`${BROWSER_ENGINE} ${device}: not available in the page (${info?.reason ?? 'not offered'})`);
        o.log(`  ${device}: not available (${info?.reason ?? 'not offered'})`);
        continue;
      }
      try {
        const t0 = performance.now();
        const warm = await embed(device, true);
        const openMs = performance.now() - t0;
        o.log(`  ${device}: warm-up ${(openMs / 1e3).toFixed(1)} s (compile ${warm.firstMs?.toFixed(0) ?? '?'} ms, 9 faces ${warm.ms.toFixed(0)} ms)`);
        const perImage: number[] = [];
        let minCos = Infinity;
        const n = timedCalls(device, o.quick);
        for (let i = 0; i < n; i++) {
          const run = await embed(device, false);
          if (run.embeddings.length !== FACES.length) throw new Error(`${run.embeddings.length} embeddings for ${FACES.length} faces`);
          perImage.push(run.ms / FACES.length);
          for (const [j, e] of run.embeddings.entries()) minCos = Math.min(minCos, cosine(l2normalise(Float32Array.from(e)), published[j]));
          o.log(`  ${device}: call ${i + 1}/${n}: ${run.ms.toFixed(0)} ms for ${FACES.length} faces`);
        }
        const ms = median(perImage);
        runs.push({
          engine: BROWSER_ENGINE, backend: device, threads: 1, batch: 1, msPerImage: ms, imagesPerSecond: 1e3 / ms,
          peakRssMb: 0, minCosine: minCos, minMsPerImage: Math.min(...perImage), maxMsPerImage: Math.max(...perImage),
          samples: n, openMs,
        });
      } catch (error) {
        const reason = (error as Error).message.split('\n')[0];
        notes.push(`${BROWSER_ENGINE} ${device}: failed in the browser: ${reason}`);
        o.log(`  ${device}: failed: ${reason}`);
      }
    }
    if (cases.length) o.log(`kernels in the browser: ${cases.length} cases`);
    for (const device of cases.length ? o.devices ?? BROWSER_DEVICES : []) {
      if (!available.find((d) => d.device === device)?.available) continue;
      const chosen = kernelCasesFor(device, cases, o.quick);
      if (chosen.length < cases.length) {
        partialKernels.add(device);
        kernelNotes.push(`${device}: --quick, the first case of each of the ${chosen.length} kernel kinds only (of ${cases.length} cases), to keep --quick short on SwiftShader; no network row`);
      }
      const runsEach = kernelRuns(device, o.quick);
      const t0 = performance.now();
      for (const k of chosen) {
        const label = `${k.kind} ${k.shape}`;
        try {
          const [timing] = await withTimeout(
            page.evaluate(([d, c]) => (window as unknown as Hook).facereid.timeKernels(d, [c]), [device, { label, json: kernelJson(k), runs: runsEach }] as [string, { label: string; json: string; runs: number }]),
            CALL_TIMEOUT_MS, `${device}: timeKernels ${label}`);
          const result = kernelResult(k, device, timing.samplesUs);
          kernels.push(result);
          o.log(`  ${device.padEnd(6)} ${k.kind.padEnd(20)} ${k.shape.padEnd(26)} ${result.medianUs.toFixed(1).padStart(9)} µs (${timing.calls} calls/sample, compile ${timing.compileMs.toFixed(0)} ms)`);
        } catch (error) {
          const reason = (error as Error).message.split('\n')[0];
          kernelNotes.push(`${device} ${label}: failed in the browser: ${reason}`);
          o.log(`  ${device} ${label}: failed: ${reason}`);
        }
      }
      o.log(`  ${device}: ${chosen.length} kernels in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
    }
  } finally {
    await started.close();
  }
  // The Node table's order: by case, then device.
  const order = new Map(cases.map((k, i) => [`${k.kind}|${k.shape}`, i]));
  const devices = o.devices ?? BROWSER_DEVICES;
  kernels.sort((a, b) => order.get(`${a.kind}|${a.shape}`)! - order.get(`${b.kind}|${b.shape}`)! || devices.indexOf(a.backend) - devices.indexOf(b.backend));
  return { runs, notes, chromium: started.version, kernels, partialKernels, kernelNotes };
}
