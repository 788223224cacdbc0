// npm run bench [-- options]: kernel microbenchmarks on each of our backends, then this engine
// end to end against onnxruntime (native and WebAssembly) and TensorFlow.js on the same graph:
// RMNet (e2e), then each MTCNN net alone (detector), then the whole face pipeline per photo
// (pipeline), then `facereid track` on a synthetic video (track). Progress goes to stderr; the markdown report to stdout and <out>/latest.md, the
// chart to <out>/latest.svg, the raw results to --json FILE.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optimize } from '../dist/engine/graph/passes/index.js';
import { inferGraphShapes, inputShapes } from '../dist/engine/graph/shapes.js';
import { enableRelaxedSimd } from '../dist/engine/relaxed-simd.js';
import { exportOnnx } from '../dist/exporter/onnx/index.js';
import { loadCaffe } from '../dist/importer/caffe/index.js';
import { findModel } from '../dist/importer/models.js';
import { RMNET } from '../dist/rmnet/models.js';
import { ourBackends } from './backends.js';
import { DETECTOR_CASES, caseInput, prepareDetector } from './detector.js';
import { runEndToEnd, type E2EResult, type RunResult } from './e2e.js';
import { ENGINE_KEYS, engineKey, type EngineConfig, type ModelInfo } from './engines.js';
import { kernelCases, runKernels, type KernelResult } from './kernels.js';
import { BROWSER_DEVICES, BROWSER_ENGINE, kernelRuns, runBrowser, timedCalls } from './browser.js';
import { runPipeline, type PipelineResult } from './pipeline.js';
import { runTrack, type TrackResult } from './track.js';
import { jsonReport, machineNow, markdown, svgChart, e2eTable, kernelTable, type Report } from './report.js';

enableRelaxedSimd(); // as the command line does (Node 20 has it behind a flag)

const SECTIONS = ['kernels', 'e2e', 'detector', 'pipeline', 'track'];

const USAGE = `usage: npm run bench -- [options]
  --quick             a short run (under two minutes): fewer rounds, shorter kernel timing, no tfjs-cpu at batch 8
  --startup [--runs N]  instead: the command line's start-up times (bench/startup.ts)
  --browser           instead: the whole model per device of the web page (${BROWSER_DEVICES.join(', ')}) in Debian's
                      Chromium, 5 timed calls of the 9 faces each (quick: 3, GPU devices 1); to <out>/browser.md
  --json FILE         also write the raw results as JSON
  --out DIR           where latest.md and latest.svg go (default bench/results)
  --engines A,B       only these engines: ${ENGINE_KEYS.join(', ')}
  --backends A,B      our devices (cpu, simd, gpujs-webasm, gpujs-cpu; default the first three), for the kernels and end to end
  --batches 1,8       batch sizes (default 1,8)
  --rounds N          timed round-robin rounds        (default 12; quick 4)
  --warmup N          untimed batches per engine after its embedding check (default 3; quick 0)
  --round-ms MS       each engine's turn in a round   (default 1000; quick 200)
  --kernels TEXT      only kernels whose kind contains TEXT
  --kernel-time S     Benchmark.js maxTime per kernel (default 1; quick 0.05)
  --only A,B          only these sections: ${SECTIONS.join(', ')} (default all; e.g. --quick --only detector,pipeline: a few minutes)
  --no-kernels        skip the kernel microbenchmarks
  --no-e2e            skip the RMNet end-to-end comparison
  --pipeline-runs N   the pipeline section's rounds: each times every photo alone, its detection, every photo in turn (default 7; quick 3)
  --pipeline-threads 1,2  the detector's threads in the pipeline section (default 1,2)
  --track-runs N      the track section's runs of each clip (default 3; quick 1)
  --track-frames N    the track section: only the clip's first N frames (default all 240)
  --models DIR        folder holding ${RMNET}/ (Caffe form, and its reference/) and mtcnn/ (default ../shared/models)

The detector section runs our cpu and simd devices (of --backends) and the peers at one thread; the pipeline section
runs simd, or the cpu and simd devices --backends names.`;

interface Options {
  quick: boolean;
  browser: boolean;
  json?: string;
  out: string;
  engines?: string[];
  backends?: string[];
  batches: number[];
  rounds: number;
  warmup: number;
  roundMs: number;
  kernelFilter?: string;
  kernelTime: number;
  sections: string[];
  pipelineRuns: number;
  pipelineThreads: number[];
  trackRuns: number;
  trackFrames?: number;
  models: string;
}

function parseArgs(args: string[]): Options {
  const quick = args.includes('--quick');
  const o: Options = {
    quick, browser: args.includes('--browser'), out: fileURLToPath(new URL('../bench/results/', import.meta.url)), batches: [1, 8],
    rounds: quick ? 4 : 12, warmup: quick ? 0 : 3, roundMs: quick ? 200 : 1000, kernelTime: quick ? 0.05 : 1, sections: SECTIONS,
    pipelineRuns: quick ? 3 : 7, pipelineThreads: [1, 2], trackRuns: quick ? 1 : 3,
    models: fileURLToPath(new URL('../../shared/models/', import.meta.url)),
  };
  const number = (flag: string, text: string | undefined) => {
    const n = Number(text);
    if (text === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag}: expected a number, found '${text ?? ''}'`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => { const v = args[++i]; if (v === undefined) throw new Error(`${flag} needs a value`); return v; };
    switch (flag) {
      case '--quick': case '--browser': break;
      case '--json': o.json = value(); break;
      case '--out': o.out = value(); break;
      case '--engines': {
        o.engines = value().split(',');
        const unknown = o.engines.filter((e) => !ENGINE_KEYS.includes(e));
        if (unknown.length) throw new Error(`--engines: unknown ${unknown.join(', ')} (known: ${ENGINE_KEYS.join(', ')})`);
        break;
      }
      case '--backends': o.backends = value().split(','); break;
      case '--batches': o.batches = value().split(',').map((b) => number(flag, b)).filter((b) => b >= 1); break;
      case '--rounds': o.rounds = number(flag, value()); break;
      case '--warmup': o.warmup = number(flag, value()); break;
      case '--round-ms': o.roundMs = number(flag, value()); break;
      case '--kernels': o.kernelFilter = value(); break;
      case '--kernel-time': o.kernelTime = number(flag, value()); break;
      case '--only': {
        o.sections = value().split(',');
        const unknown = o.sections.filter((x) => !SECTIONS.includes(x));
        if (unknown.length) throw new Error(`--only: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
        break;
      }
      case '--no-kernels': o.sections = o.sections.filter((x) => x !== 'kernels'); break;
      case '--no-e2e': o.sections = o.sections.filter((x) => x !== 'e2e'); break;
      case '--pipeline-runs': o.pipelineRuns = Math.max(1, Math.round(number(flag, value()))); break;
      case '--pipeline-threads': o.pipelineThreads = value().split(',').map((t) => number(flag, t)).filter((t) => t === 1 || t === 2); break;
      case '--track-runs': o.trackRuns = Math.max(1, Math.round(number(flag, value()))); break;
      case '--track-frames': o.trackFrames = Math.round(number(flag, value())); break;
      case '--models': o.models = value(); break;
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0);
      default: throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return o;
}

/** Every configuration, in the order the rounds take them. */
function engineConfigs(o: Options, ours: string[]): EngineConfig[] {
  const configs: EngineConfig[] = [];
  for (const batch of o.batches) {
    for (const backend of ours) configs.push({ engine: 'facereid', backend, threads: 1, batch });
    // The pool at 2 threads, on each of our backends (the batch-1 latency row runs it too: a pool
    // of 2 splits a batch of 1 onto one worker, so it is there only for batch > 1).
    if (batch > 1) for (const backend of ours.filter((b) => b === 'cpu' || b === 'simd')) configs.push({ engine: 'facereid-pool', backend, threads: 2, batch });
    for (const threads of [1, 2]) configs.push({ engine: 'onnxruntime-node', backend: 'native', threads, batch });
    for (const threads of [1, 2]) configs.push({ engine: 'onnxruntime-web', backend: 'wasm', threads, batch });
    configs.push({ engine: 'tfjs', backend: 'wasm', threads: 1, batch });
    if (!(o.quick && batch > 1)) configs.push({ engine: 'tfjs', backend: 'cpu', threads: 1, batch });
  }
  return configs.filter((c) => !o.engines || o.engines.includes(engineKey(c)));
}

async function main() {
  if (process.argv.includes('--startup')) return (await import('./startup.js')).startup(process.argv.slice(2)); // bench/startup.ts
  const o = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = machineNow();
  const files = findModel(RMNET, o.models, ['caffe']);
  if (o.browser) return browserMain(o, machine, join(dirname(files.model), 'reference'), log);
  const imported = await loadCaffe(files.model, files.weights);
  const { graph: optimised } = optimize(imported);
  const shapesAt1 = (g: typeof imported) => inferGraphShapes(g, inputShapes(g, { batch: 1 }));
  const { backends, notes } = await ourBackends(o.backends);
  log(`facereid bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadavg.start.map((x) => x.toFixed(2)).join(' ')}`);
  log(`our backends: ${backends.map((b) => b.name).join(', ')}${notes.length ? ` (${notes.join('; ')})` : ''}`);

  let kernels: KernelResult[] = [];
  if (o.sections.includes('kernels')) {
    log('kernels:');
    const cases = kernelCases(optimised, shapesAt1(optimised), imported, shapesAt1(imported));
    const start = performance.now();
    const sync = backends.filter((b) => !b.async);
    for (const b of backends.filter((b) => b.async)) notes.push(`${b.name}: end to end only (its steps are asynchronous; the kernel microbenchmarks time synchronous calls)`);
    kernels = runKernels(cases, sync, { maxTime: o.kernelTime, minSamples: o.quick ? 5 : 10, filter: o.kernelFilter, log });
    log(`kernels: ${kernels.length} in ${((performance.now() - start) / 1e3).toFixed(1)} s`);
  }

  let e2e: E2EResult = { runs: [], skipped: [], baselineRssMb: NaN };
  if (o.sections.includes('e2e')) {
    const onnx = join(tmpdir(), `facereid-bench-${process.pid}.onnx`);
    writeFileSync(onnx, exportOnnx(optimised));
    const model: ModelInfo = {
      prototxt: files.model, caffemodel: files.weights, onnx, inputShape: imported.inputs[0].shape.slice(1),
      check: { kind: 'embeddings', reference: join(dirname(files.model), 'reference') },
    };
    const configs = engineConfigs(o, backends.map((b) => b.name));
    log(`end to end: ${configs.length} configurations, warm-up ${o.warmup}, ${o.rounds} rounds of ~${o.roundMs} ms per engine`);
    const start = performance.now();
    try {
      e2e = await runEndToEnd(configs.map((config) => ({ config, model })), { warmup: o.warmup, rounds: o.rounds, roundMs: o.roundMs, maxRepsPerTurn: 200, log });
    } finally {
      rmSync(onnx, { force: true });
    }
    log(`end to end: ${e2e.runs.length} runs in ${((performance.now() - start) / 1e3).toFixed(1)} s`);
  }

  let detector: RunResult[] = [];
  if (o.sections.includes('detector')) {
    const dir = mkdtempSync(join(tmpdir(), 'facereid-bench-detector-'));
    try {
      log(`detector: ${DETECTOR_CASES.map((c) => `${c.net} ${caseInput(c)}`).join(', ')}`);
      const cases = await prepareDetector(dir, backends.map((b) => b.name), { models: o.models, engines: o.engines, log });
      const jobs = cases.flatMap((c) => c.jobs);
      const start = performance.now();
      const result = await runEndToEnd(jobs, { warmup: o.warmup, rounds: o.rounds, roundMs: o.roundMs, maxRepsPerTurn: 200, log });
      detector = result.runs.map((r) => {
        const { macs } = cases.find((c) => c.case.net === r.model && caseInput(c.case) === r.input)!;
        return { ...r, gflops: (2 * macs) / (r.msPerImage * r.batch * 1e6) };
      });
      e2e.skipped.push(...result.skipped);
      log(`detector: ${detector.length} runs in ${((performance.now() - start) / 1e3).toFixed(1)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  let pipeline: PipelineResult[] = [];
  if (o.sections.includes('pipeline')) {
    const devices = o.backends ? o.backends.filter((b) => b === 'cpu' || b === 'simd') : ['simd'];
    log(`pipeline: ${devices.join(', ')} at ${o.pipelineThreads.join(', ')} threads, ${o.pipelineRuns} rounds`);
    const result = await runPipeline(devices, o.pipelineThreads, { models: o.models, runs: o.pipelineRuns, log });
    pipeline = result.results;
    notes.push(...result.notes);
  }

  let track: TrackResult[] = [];
  if (o.sections.includes('track')) {
    log(`track: facereid track on the synthetic clip at 640x480 and 1280x720, ${o.trackRuns} runs each`);
    track = await runTrack({ models: o.models, runs: o.trackRuns, frames: o.trackFrames, log });
  }

  machine.loadavg.end = loadavg();
  const report: Report = {
    machine,
    settings: {
      mode: o.quick ? 'quick' : 'full', batches: o.batches, warmup: o.warmup, rounds: o.rounds, roundMs: o.roundMs, kernelMaxTimeS: o.kernelTime,
      pipelineRuns: o.pipelineRuns, pipelineThreads: o.pipelineThreads, trackRuns: o.trackRuns,
    },
    sections: o.sections, ...e2e, kernels, detector, pipeline, track, notes,
  };
  const md = markdown(report);
  process.stdout.write(md);
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'latest.md'), md);
  writeFileSync(join(o.out, 'latest.svg'), svgChart(report.runs, machine));
  if (o.json) writeFileSync(o.json, jsonReport(report));
  log(`wrote ${join(o.out, 'latest.md')}, ${join(o.out, 'latest.svg')}${o.json ? `, ${o.json}` : ''}`);
}

/** --browser: only the page's devices in Chromium; the table, to stdout and <out>/browser.md. */
async function browserMain(o: Options, machine: Report['machine'], reference: string, log: (line: string) => void) {
  log(`facereid bench --browser: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadavg.start.map((x) => x.toFixed(2)).join(' ')}`);
  const start = performance.now();
  const { runs, notes, chromium, kernels, partialKernels, kernelNotes } = await runBrowser({ quick: o.quick, models: o.models, reference, log, kernels: o.sections.includes('kernels') });
  log(`browser: ${runs.length} devices in ${((performance.now() - start) / 1e3).toFixed(1)} s`);
  machine.loadavg.end = loadavg();
  const calls = BROWSER_DEVICES.map((d) => `${d} ${timedCalls(d, o.quick)}`).join(', ');
  const md = [
    '# facereid benchmark: the web page in Chromium',
    '',
    `${machine.date} · ${machine.cpu}, ${machine.cores} cores, ${machine.os}, ${machine.totalMemoryGb} GB, Chromium ${chromium} (headless, SwiftShader for WebGL / WebGPU)  `,
    `Load average (1/5/15 min): ${machine.loadavg.start.map((x) => x.toFixed(2)).join(' / ')} at the start, ${machine.loadavg.end.map((x) => x.toFixed(2)).join(' / ')} at the end  `,
    `Settings: mode ${o.quick ? 'quick' : 'full'}, timed calls of the 9 faces per device: ${calls}`,
    '',
    '## End to end in the browser: RMNet, 3×128×128 → 128',
    '',
    e2eTable(runs),
    '',
    `${BROWSER_ENGINE}: web/main.ts's window.facereid.embedReference(device), one warm-up call (compiling the net), then the timed calls, ` +
      'each embedding the 9 reference faces one at a time (batch 1) and timed by the page. ms/image: median call ÷ 9; min–max over the calls. ' +
      'min cosine: the page\'s embeddings against the published ones, over every timed call. ' +
      'Peak RSS: not measured in the browser (0).',
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    ...(kernels.length ? [
      '', '## Kernels in the browser: batch 1, each alone as a one-node graph', '', kernelTable(kernels, partialKernels), '',
      `web/main.ts's window.facereid.timeKernels(device, cases): each case compiled alone (no passes) on the device's backend, two warm-up calls, ` +
        `then timed samples of \`await net.runAsync(inputs)\` by performance.now() (${BROWSER_DEVICES.map((d) => `${d} ${kernelRuns(d, o.quick)}`).join(', ')} per case), ` +
        'each sample as many calls as fill about 2 ms, divided by their number; runAsync includes copying the inputs in and the output out (on the GPU devices, the upload and read-back). ' +
        '×/image, GFLOP/s, Gelem/s and "vs cpu" (the page\'s cpu device) as in the Node kernel table.',
      ...kernelNotes.map((n) => `- ${n}`),
    ] : []),
    '',
  ].join('\n');
  process.stdout.write(md);
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'browser.md'), md);
  if (o.json) writeFileSync(o.json, `${JSON.stringify({ machine, chromium, settings: { mode: o.quick ? 'quick' : 'full', browser: true }, runs, kernels, notes: [...notes, ...kernelNotes] }, null, 2)}\n`);
  log(`wrote ${join(o.out, 'browser.md')}${o.json ? `, ${o.json}` : ''}`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${process.env.FACEREID_DEBUG ? error.stack : error.message}\n`);
  process.exit(2);
});
