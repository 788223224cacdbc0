// The benchmark (bench/, `npm run bench`): its correctness checks and its output formats — never
// its timings. Tiny real runs through the compiled CLI — RMNet (our cpu backend and
// onnxruntime-node, batch 1, one round, the max-pool kernels only), then the detector section
// (onnxruntime-node on each MTCNN case) and the pipeline section (simd, one run of each photo),
// the track section (one run of the clip's first frames at each size) — then the report functions on fixed numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../bench/e2e.js';
import type { PipelineResult } from '../bench/pipeline.js';
import { parseXml } from '../importer/openvino/xml-tree.js';
import { DETECTOR_HEADER, detectorTable, E2E_HEADER, e2eTable, KERNEL_HEADER, PIPELINE_HEADER, pipelineTable, svgChart, TRACK_HEADER, trackTable, type Machine } from '../bench/report.js';
import type { TrackResult } from '../bench/track.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const headerRow = (cells: string[]) => `| ${cells.join(' | ')} |`;

interface Output {
  stdout: string;
  markdown: string;
  svg: string;
  json: {
    machine: Record<string, unknown>; sections: string[]; runs: Record<string, unknown>[]; kernels: Record<string, unknown>[]; skipped: unknown[];
    detector: Record<string, unknown>[]; pipeline: PipelineResult[]; track: TrackResult[];
  };
}

/** Runs the compiled bench with these arguments into a fresh folder; returns what it wrote. */
function bench(args: string[]): Output {
  const out = mkdtempSync(join(tmpdir(), 'facereid-bench-test-'));
  try {
    const stdout = execFileSync(process.execPath, [join(ROOT, 'dist-bench/main.js'), ...args, '--out', out, '--json', join(out, 'results.json')],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      stdout,
      markdown: readFileSync(join(out, 'latest.md'), 'utf8'),
      svg: readFileSync(join(out, 'latest.svg'), 'utf8'),
      json: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')], { cwd: ROOT });
});

describe('npm run bench, a tiny configuration', () => {
  let result: Output;

  beforeAll(() => {
    result = bench([
      '--quick', '--only', 'kernels,e2e', '--engines', 'facereid-cpu,ort-node', '--backends', 'cpu', '--batches', '1',
      '--warmup', '1', '--rounds', '1', '--round-ms', '0', '--kernels', 'max-pool', '--kernel-time', '0.02',
    ]);
  });

  it('writes the JSON shape: machine, and one typed run per engine configuration', () => {
    const { machine, runs, skipped } = result.json;
    expect(typeof machine.cpu).toBe('string');
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.node).toBe(process.version);
    expect((machine.loadavg as { start: number[] }).start).toHaveLength(3);
    expect(skipped).toEqual([]);
    expect(runs.map((r) => `${r.engine} ${r.backend} t${r.threads} b${r.batch}`).sort()).toEqual([
      'facereid cpu t1 b1', 'onnxruntime-node native t1 b1', 'onnxruntime-node native t2 b1',
    ]);
    for (const run of runs) {
      expect(typeof run.engine).toBe('string');
      expect(typeof run.backend).toBe('string');
      expect(Number.isInteger(run.threads)).toBe(true);
      expect(Number.isInteger(run.batch)).toBe(true);
      for (const field of ['msPerImage', 'imagesPerSecond', 'peakRssMb', 'minCosine']) {
        expect(typeof run[field], `${run.engine} t${run.threads}: ${field}`).toBe('number');
        expect(Number.isFinite(run[field] as number), `${run.engine} t${run.threads}: ${field}`).toBe(true);
      }
      expect(run.msPerImage as number).toBeGreaterThan(0);
      expect((run.imagesPerSecond as number) * (run.msPerImage as number)).toBeCloseTo(1000, 6);
      expect(run.peakRssMb as number).toBeGreaterThan(0);
    }
  });

  it('checks every engine against the published embeddings: min cosine >= 0.9999', () => {
    for (const run of result.json.runs) {
      expect(run.minCosine as number, `${run.engine} ${run.backend} t${run.threads}`).toBeGreaterThanOrEqual(0.9999);
      expect(run.minCosine as number).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it('prints the markdown report to stdout and latest.md, with the ratio column', () => {
    expect(result.stdout).toBe(result.markdown);
    const lines = result.markdown.split('\n');
    const header = lines.findIndex((l) => l === headerRow([...E2E_HEADER, 'ours cpu ÷ this']));
    expect(header, 'end-to-end header').toBeGreaterThan(0);
    const rows = lines.slice(header + 2, header + 5);
    expect(rows.every((r) => /^\| .* \| \d+\.\d\d× \|$/.test(r)), rows.join('\n')).toBe(true);
    expect(rows[0]).toMatch(/^\| \*\*facereid\*\* \| cpu \| 1 \| 1 \| .* \| 1\.00× \|$/);
    expect(result.markdown).toContain(headerRow(KERNEL_HEADER));
    expect(result.markdown).toMatch(/\| max-pool 2×2 \| 32 64×64 s2 \| 1 \| cpu \|/);
    expect(result.markdown).toMatch(/Load average \(1\/5\/15 min\): [\d.]+ \/ [\d.]+ \/ [\d.]+/);
    expect(result.markdown).toContain("Our simd backend: with relaxed SIMD"); // the bench turns it on, as the command line does
  });

  it('writes a well-formed SVG with a bar per run', () => {
    expect(parseXml(result.svg, 64).name).toBe('svg'); // well-formed
    expect(result.svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(result.svg.match(/<rect /g)!.length).toBe(1 + result.json.runs.length);
  });
});

describe('npm run bench --only detector,pipeline, a tiny configuration', () => {
  let result: Output;

  beforeAll(() => {
    result = bench(['--quick', '--only', 'detector,pipeline', '--engines', 'ort-node', '--backends', 'simd', '--rounds', '1', '--round-ms', '0', '--pipeline-runs', '1', '--pipeline-threads', '1']);
  }, 300_000); // about a minute on a quiet machine: P-Net's cpu reference at 608x1151, the pipeline's warm-up on five photos

  it('times each MTCNN case, with the RMNet run schema plus model, input and GFLOP/s, checked against our cpu backend', () => {
    const { sections, runs, detector, skipped } = result.json;
    expect(sections).toEqual(['detector', 'pipeline']);
    expect(runs).toEqual([]);
    expect(skipped).toEqual([]);
    expect(detector.map((r) => `${r.model} ${r.input} ${r.engine} t${r.threads} b${r.batch}`)).toEqual([
      'det1 1x3x608x1151 onnxruntime-node t1 b1', 'det1 1x3x144x192 onnxruntime-node t1 b1',
      'det2 64x3x24x24 onnxruntime-node t1 b64', 'det3 16x3x48x48 onnxruntime-node t1 b16',
    ]);
    for (const r of detector) {
      for (const field of ['msPerImage', 'imagesPerSecond', 'peakRssMb', 'minCosine', 'gflops', 'minMsPerImage', 'maxMsPerImage', 'samples', 'openMs']) {
        expect(Number.isFinite(r[field] as number), `${r.model} ${r.input}: ${field}`).toBe(true);
      }
      expect(r.minCosine as number, `${r.model} ${r.input}`).toBeGreaterThanOrEqual(0.9999);
    }
    expect(result.markdown).toContain(headerRow(DETECTOR_HEADER));
    expect(result.markdown).toMatch(/\| det2 \| 64x3x24x24 \| onnxruntime-node \| native \| 1 \| [\d.]+ \|/);
  });

  it('runs FacePipeline.faces on each photo alone and interleaved, finding their faces', () => {
    const { pipeline } = result.json;
    expect(pipeline.map((p) => [p.photo, `${p.width}x${p.height}`, p.faces, p.backend])).toEqual([
      ['test1.jpg', '450x344', 2, 'simd'],
      ['test2.jpg', '450x431', 1, 'simd'],
      ['LFW thumbnail (Abel_Pacheco_0001)', '150x150', 1, 'simd'],
      ['test1.jpg tiled 4×3', '1800x1032', 24, 'simd'],
      ['test1.jpg enlarged to 1900 wide, 1000 rows', '1900x1000', 2, 'simd'],
    ]);
    for (const p of pipeline) {
      for (const t of [p.alone, p.interleaved, p.detect]) expect(t.samples * Number(t.medianMs > 0)).toBe(1);
    }
    expect(result.markdown).toContain(headerRow(PIPELINE_HEADER));
    expect(result.markdown).toMatch(/\| test1\.jpg tiled 4×3 \| 1800×1032 \| 24 \| simd \| 1 \|/);
  });
});

describe('npm run bench --only track, a tiny configuration', () => {
  let result: Output;

  beforeAll(() => {
    result = bench(['--quick', '--only', 'track', '--track-runs', '1', '--track-frames', '14']);
  }, 300_000);

  it('runs facereid track on the clip at 640x480 and 1280x720: rates, the split per frame, the faces shown', () => {
    const { sections, track } = result.json;
    expect(sections).toEqual(['track']);
    expect(track.map((t) => [t.frame, t.frames, t.runs])).toEqual([['640x480', 14, 1], ['1280x720', 14, 1]]);
    for (const t of track) {
      for (const value of [t.bestFps, t.medianFps, t.cpuFps, t.split.find, t.split.embed, t.split.track]) expect(Number.isFinite(value) && value > 0, t.frame).toBe(true);
      expect(t.bestFps).toBe(t.medianFps);
      expect(t.maxFaces).toBeGreaterThanOrEqual(1); // ref0 and Rogge are on screen from the first frames
    }
    expect(result.markdown).toContain(headerRow(TRACK_HEADER));
    expect(result.markdown).toMatch(/\| 640x480 \| 14 \| [\d.]+, \d \| [\d.]+ \|/);
  });
});

describe('report formats, on fixed numbers', () => {
  const run = (engine: string, backend: string, threads: number, batch: number, msPerImage: number): RunResult => ({
    engine, backend, threads, batch, msPerImage, imagesPerSecond: 1000 / msPerImage, peakRssMb: 100, minCosine: 0.99999,
    minMsPerImage: msPerImage, maxMsPerImage: msPerImage, samples: 3, openMs: 1,
  });
  const runs = [
    run('facereid', 'cpu', 1, 1, 100), run('facereid', 'simd', 1, 1, 50), run('onnxruntime-node', 'native', 1, 1, 10),
    run('facereid', 'cpu', 1, 8, 80), run('tfjs', 'cpu & <js>', 1, 8, 160),
  ];

  it('gives one ratio column per backend of ours: ours ÷ this at the same batch', () => {
    const table = e2eTable(runs).split('\n');
    expect(table[0]).toBe(headerRow([...E2E_HEADER, 'ours cpu ÷ this', 'ours simd ÷ this']));
    const ort = table.find((l) => l.startsWith('| onnxruntime-node'))!;
    expect(ort.endsWith('| 10.00× | 5.00× |')).toBe(true);
    const tfjs = table.find((l) => l.startsWith('| tfjs'))!;
    expect(tfjs.endsWith('| 0.50× | — |')).toBe(true);
  });

  it('detector: ms per run (the batch) and ratios ours ÷ this within each net and input', () => {
    const det = (engine: string, backend: string, model: string, input: string, batch: number, msPerImage: number): RunResult =>
      ({ ...run(engine, backend, 1, batch, msPerImage), model, input, gflops: 1 });
    const table = detectorTable([
      det('facereid', 'simd', 'det2', '64x3x24x24', 64, 0.5), det('onnxruntime-web', 'wasm', 'det2', '64x3x24x24', 64, 1),
      det('facereid', 'simd', 'det3', '16x3x48x48', 16, 2), det('onnxruntime-web', 'wasm', 'det3', '16x3x48x48', 16, 1),
    ]).split('\n');
    expect(table[0]).toBe(headerRow([...DETECTOR_HEADER, 'ours simd ÷ this']));
    expect(table.find((l) => l.startsWith('| det2 | 64x3x24x24 | onnxruntime-web'))).toMatch(/\| 64\.00 \| .* \| 0\.50× \|$/);
    expect(table.find((l) => l.startsWith('| det3 | 16x3x48x48 | onnxruntime-web'))).toMatch(/\| 16\.00 \| .* \| 2\.00× \|$/);
  });

  it('pipeline: one row per photo and device', () => {
    const t = (ms: number) => ({ medianMs: ms, minMs: ms - 1, maxMs: ms + 1, samples: 3 });
    const table = pipelineTable([{
      engine: 'facereid', backend: 'simd', threads: 1, photo: 'a.jpg', width: 10, height: 20, faces: 3,
      alone: t(40), interleaved: t(50), detect: t(30), noFlip: t(35), peakRssMb: 200,
    }]).split('\n');
    expect(table[0]).toBe(headerRow(PIPELINE_HEADER));
    expect(table[2]).toBe('| a.jpg | 10×20 | 3 | simd | 1 | 40.0 | 39.0 | 50.0 | 49.0 | 30.0 | 35.0 | 200 |');
  });

  it('track: one row per frame size', () => {
    const table = trackTable([{
      frame: '640x480', frames: 240, facesPerFrame: 2.5, maxFaces: 6, runs: 3, bestFps: 30.04, medianFps: 28, split: { find: 20, embed: 9.96, track: 0.5 }, cpuFps: 35,
    }]).split('\n');
    expect(table[0]).toBe(headerRow(TRACK_HEADER));
    expect(table[2]).toBe('| 640x480 | 240 | 2.50, 6 | 30.0 | 28.0 | 20.0 / 10.0 / 0.5 | 35.0 |');
  });

  it('escapes labels in the SVG', () => {
    const machine: Machine = { cpu: 'A & B <cpu>', cores: 2, os: 'x', node: 'v20', totalMemoryGb: 1, relaxedSimd: true, loadavg: { start: [0, 0, 0], end: [0, 0, 0] }, date: 'now' };
    const svg = svgChart(runs, machine);
    expect(parseXml(svg, 64).name).toBe('svg'); // well-formed
    expect(svg).toContain('A &#38; B &#60;cpu&#62;');
  });
});
