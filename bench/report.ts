// What a run leaves behind: the machine it ran on, a markdown report (RMNet end-to-end table with
// ours ÷ peer ratios, kernel table, MTCNN detector table, face pipeline table, tracking table), an SVG bar chart
// of the RMNet runs, and the raw JSON.

import { cpus, loadavg, release, totalmem, type as osType, arch } from 'node:os';
import { relaxedSimdAvailable } from '../dist/engine/relaxed-simd.js';
import type { RunResult, Skipped } from './e2e.js';
import { describeConfig } from './engines.js';
import type { KernelResult } from './kernels.js';
import type { PipelineResult } from './pipeline.js';
import type { TrackResult } from './track.js';

export interface Machine {
  cpu: string;
  cores: number;
  os: string;
  node: string;
  totalMemoryGb: number;
  /** Whether our simd backend used relaxed SIMD's multiply-add (each bench process turns it on, as the command line does). */
  relaxedSimd: boolean;
  /** os.loadavg() (1, 5, 15 minutes) when the run started and when it ended. */
  loadavg: { start: number[]; end: number[] };
  date: string;
}

export function machineNow(): Machine {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown', cores: cpuList.length, os: `${osType()} ${release()} ${arch()}`,
    node: process.version, totalMemoryGb: Math.round(totalmem() / 2 ** 30 * 10) / 10, relaxedSimd: relaxedSimdAvailable(),
    loadavg: { start: loadavg(), end: [] }, date: new Date().toISOString(),
  };
}

export interface Report {
  machine: Machine;
  settings: Record<string, unknown>;
  /** The sections run (kernels, e2e, detector, pipeline, track). */
  sections: string[];
  runs: RunResult[];
  skipped: Skipped[];
  baselineRssMb: number;
  kernels: KernelResult[];
  /** The detector section: RunResults with model, input and gflops. */
  detector: RunResult[];
  pipeline: PipelineResult[];
  track: TrackResult[];
  notes: string[];
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const loads = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
const isOurs = (r: { engine: string }) => r.engine.startsWith('facereid');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The ratio columns: one per backend of ours run single-threaded; ours ÷ this, per image, same batch. */
export function ratioColumns(runs: RunResult[]): string[] {
  return [...new Set(runs.filter((r) => r.engine === 'facereid' && r.threads === 1).map((r) => r.backend))];
}

export const E2E_HEADER = ['engine', 'backend', 'threads', 'batch', 'ms/image (median)', 'min–max ms/image', 'images/s', 'peak RSS MB', 'min cosine'];

export function e2eTable(runs: RunResult[]): string {
  const ours = ratioColumns(runs);
  const header = [...E2E_HEADER, ...ours.map((b) => `ours ${b} ÷ this`)];
  const lines = [row(header), row(header.map((_, i) => (i < 3 ? '---' : '---:')))];
  const sorted = [...runs].sort((a, b) => a.batch - b.batch || Number(isOurs(b)) - Number(isOurs(a)));
  for (const r of sorted) {
    const ratios = ours.map((backend) => {
      const base = runs.find((o) => o.engine === 'facereid' && o.threads === 1 && o.backend === backend && o.batch === r.batch);
      return base ? `${fixed(base.msPerImage / r.msPerImage, 2)}×` : '—';
    });
    lines.push(row([
      isOurs(r) ? `**${r.engine}**` : r.engine, r.backend, r.threads, r.batch, fixed(r.msPerImage, 2),
      `${fixed(r.minMsPerImage, 2)}–${fixed(r.maxMsPerImage, 2)}`, fixed(r.imagesPerSecond, 1), fixed(r.peakRssMb, 0),
      `${fixed(r.minCosine, 6)}${r.minCosine >= 0.9999 ? '' : ' ⚠'}`, ...ratios,
    ]));
  }
  return lines.join('\n');
}

export const KERNEL_HEADER = ['kernel', 'shape', '×/image', 'backend', 'min µs', 'median µs', 'max µs', 'GFLOP/s', 'Gelem/s', 'vs cpu'];

/** `partial`: backends that timed only some of the kernels, whose network row would mislead (shown as —). */
export function kernelTable(kernels: KernelResult[], partial: ReadonlySet<string> = new Set()): string {
  const lines = [row(KERNEL_HEADER), row(KERNEL_HEADER.map((_, i) => (i < 2 ? '---' : '---:')))];
  for (const k of kernels) {
    const cpu = kernels.find((c) => c.backend === 'cpu' && c.kind === k.kind && c.shape === k.shape);
    lines.push(row([
      k.kind, k.shape, k.perImage || 'fused', k.backend, fixed(k.minUs, 1), fixed(k.medianUs, 1), fixed(k.maxUs, 1),
      k.gflops === null ? '' : fixed(k.gflops, 2), k.gelemsPerSecond === null ? '' : fixed(k.gelemsPerSecond, 3),
      cpu ? `${fixed(cpu.medianUs / k.medianUs, 2)}×` : '—',
    ]));
  }
  for (const backend of new Set(kernels.map((k) => k.backend))) {
    const ms = kernels.filter((k) => k.backend === backend).reduce((sum, k) => sum + k.perImage * k.medianUs, 0) / 1e3;
    lines.push(row([`**network** (Σ ×/image · median)`, '', '', backend, '', partial.has(backend) ? '— (some kernels only)' : `**${fixed(ms, 2)} ms**`, '', '', '', '']));
  }
  return lines.join('\n');
}

export const DETECTOR_HEADER = ['net', 'input', 'engine', 'backend', 'threads', 'ms (median)', 'min–max ms', 'GFLOP/s', 'peak RSS MB', 'min cosine'];

/** One row per net, input and engine; ms per run (the whole batch); ratio columns ours ÷ this, same net and input. */
export function detectorTable(runs: RunResult[]): string {
  const ours = ratioColumns(runs);
  const header = [...DETECTOR_HEADER, ...ours.map((b) => `ours ${b} ÷ this`)];
  const lines = [row(header), row(header.map((_, i) => (i < 5 ? '---' : '---:')))];
  const cases = [...new Set(runs.map((r) => `${r.model} ${r.input}`))];
  const ms = (r: RunResult) => r.msPerImage * r.batch;
  for (const key of cases) {
    const group = runs.filter((r) => `${r.model} ${r.input}` === key).sort((a, b) => Number(isOurs(b)) - Number(isOurs(a)));
    for (const r of group) {
      const ratios = ours.map((backend) => {
        const base = group.find((o) => o.engine === 'facereid' && o.threads === 1 && o.backend === backend);
        return base ? `${fixed(ms(base) / ms(r), 2)}×` : '—';
      });
      lines.push(row([
        r.model!, r.input!, isOurs(r) ? `**${r.engine}**` : r.engine, r.backend, r.threads, fixed(ms(r), 2),
        `${fixed(r.minMsPerImage * r.batch, 2)}–${fixed(r.maxMsPerImage * r.batch, 2)}`, fixed(r.gflops ?? NaN, 1), fixed(r.peakRssMb, 0),
        `${fixed(r.minCosine, 6)}${r.minCosine >= 0.9999 ? '' : ' ⚠'}`, ...ratios,
      ]));
    }
  }
  return lines.join('\n');
}

export const PIPELINE_HEADER = ['photo', 'size', 'faces', 'backend', 'threads', 'alone ms (median)', 'alone min ms', 'interleaved ms (median)', 'interleaved min ms', 'detect alone ms (median)', 'alone without flip ms (median)', 'peak RSS MB'];

/** Where a photo was first run: rows keep the photos' order. */
const firstRun = (results: PipelineResult[], p: PipelineResult) => results.findIndex((q) => q.photo === p.photo);

export function pipelineTable(results: PipelineResult[]): string {
  const lines = [row(PIPELINE_HEADER), row(PIPELINE_HEADER.map((_, i) => (i < 4 && i !== 2 ? '---' : '---:')))];
  const sorted = [...results].sort((a, b) => firstRun(results, a) - firstRun(results, b) || a.backend.localeCompare(b.backend) || a.threads - b.threads);
  for (const p of sorted) {
    lines.push(row([
      p.photo, `${p.width}×${p.height}`, p.faces, p.backend, p.threads, fixed(p.alone.medianMs, 1), fixed(p.alone.minMs, 1),
      fixed(p.interleaved.medianMs, 1), fixed(p.interleaved.minMs, 1), fixed(p.detect.medianMs, 1), fixed(p.noFlip.medianMs, 1), fixed(p.peakRssMb, 0),
    ]));
  }
  return lines.join('\n');
}

/** Issue 12's bar for `facereid track`: 640x480, faces of 40 px and more, one thread. */
const TRACK_TARGET_FPS = 25;

export const TRACK_HEADER = ['frame', 'frames', 'faces shown per frame (mean, most)', 'best fps', 'median fps', 'best run per frame: find / embed / track ms', 'fps from CPU time'];

export function trackTable(results: TrackResult[]): string {
  const lines = [row(TRACK_HEADER), row(TRACK_HEADER.map((_, i) => (i === 0 || i === 5 ? '---' : '---:')))];
  for (const t of results) {
    lines.push(row([
      t.frame, t.frames, `${fixed(t.facesPerFrame, 2)}, ${t.maxFaces}`, fixed(t.bestFps, 1), fixed(t.medianFps, 1),
      `${fixed(t.split.find, 1)} / ${fixed(t.split.embed, 1)} / ${fixed(t.split.track, 1)}`, fixed(t.cpuFps, 1),
    ]));
  }
  return lines.join('\n');
}

export function markdown(report: Report): string {
  const { machine: m, settings, sections, runs, skipped, baselineRssMb, kernels, detector, pipeline, track, notes } = report;
  const out = [
    `# facereid benchmark`,
    '',
    `${m.date} · ${m.cpu}, ${m.cores} cores, ${m.os}, ${m.totalMemoryGb} GB, Node ${m.node}  `,
    `Our simd backend: ${m.relaxedSimd ? 'with relaxed SIMD (f32x4.relaxed_madd; the peers\' WebAssembly builds have no relaxed variant)' : 'without relaxed SIMD (this engine lacks it)'}  `,
    `Load average (1/5/15 min): ${loads(m.loadavg.start)} at the start, ${loads(m.loadavg.end)} at the end  `,
    `Settings: ${Object.entries(settings).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : v}`).join(', ')}`,
  ];
  if (sections.includes('e2e')) {
    out.push(
      '',
      '## End to end: RMNet, 3×128×128 → 128',
      '',
      e2eTable(runs),
      '',
      'ms/image: median batch time ÷ batch, over every timed batch (engines taken round-robin, after warm-up). ' +
        '"ours X ÷ this": our X backend\'s ms/image at the same batch divided by this row\'s (2.00× = we take twice as long). ' +
        'min cosine: each engine\'s own L2-normalised outputs for the 9 reference faces against the published embeddings, in this run. ' +
        `Peak RSS: each configuration in a child process of its own, Node included (an empty child peaks at ${fixed(baselineRssMb, 0)} MB). ` +
        'All engines run the same optimised graph: onnxruntime from its ONNX export, tfjs through bench/tfjs-graph.ts.',
    );
  }
  if (sections.includes('detector')) {
    out.push(
      '',
      '## Detector: each MTCNN net alone',
      '',
      detectorTable(detector),
      '',
      'ms: median time of one run of the whole input (the batch), engines taken round-robin after warm-up, each in a child process of its own. ' +
        'GFLOP/s: 2·MACs of the run (Conv and InnerProduct) ÷ median. "ours X ÷ this": our X backend\'s ms divided by this row\'s, same net and input. ' +
        'min cosine: each engine\'s outputs (every output, per batch item) against our cpu backend\'s for the same deterministic input. ' +
        'Every engine runs the same optimised graph; onnxruntime from its ONNX export at this shape, tfjs through bench/tfjs-graph.ts. ' +
        'P-Net 1×3×608×1151 is the first pyramid level of a 1919×1014 photo; R-Net and O-Net batches are candidate crops. ' +
        'onnxruntime-node is native code (AVX-512 here): the ceiling, not a peer of a zero-native engine.',
    );
  }
  if (sections.includes('pipeline')) {
    out.push(
      '',
      '## Face pipeline: FacePipeline.faces per photo',
      '',
      pipelineTable(pipeline),
      '',
      'Detect + align + embed, warm (every shape compiled in a warm-up pass), one child process per device and thread count. alone: the same photo run after run; ' +
        'interleaved: every photo in turn, so each follows photos of other sizes; detect alone: the detection only, the same photo run after run; without flip: each face embedded once instead of with its mirror image (FacePipeline\'s flip: false). ' +
        'threads: FacePipeline\'s (2: a worker thread takes a share of each detector stage, rmnet/mtcnn/parallel.ts, and another half of each embedding run, the mirror images when flipping). ' +
        'The large photos are made from the shared ones: test1.jpg repeated 4 across and 3 down (24 faces), and test1.jpg enlarged ' +
        '(bilinear) to 1900 pixels wide, 1000 of its rows (2 faces).',
    );
  }
  if (sections.includes('track')) {
    const vga = track.find((t) => t.frame === '640x480');
    out.push(
      '',
      '## Tracking: facereid track on a synthetic video',
      '',
      trackTable(track),
      '',
      'The built CLI (`facereid track clip.y4m --json --device simd`, single thread, default options: full detection every 10th frame, ' +
        'faces of 40 px and more) on the re-identification clip of test/helpers/clip.ts — seven people entering, moving, leaving and coming back ' +
        'as other photos, faces 45–90 px — written as Y4M 4:2:0, and the same people at the same sizes on a 1280×720 frame; the clips taken in turn. ' +
        'fps: the CLI\'s own rate (model loading excluded), best and median of the runs; find: detection, or following the tracks between detections; ' +
        'embed: aligning and embedding. fps from CPU time: the child\'s user + system time for the clip less that for its first 10 frames alone, ' +
        `over the frames between (other processes disturb it far less). Issue 12's target: ${TRACK_TARGET_FPS} fps at 640×480` +
        (vga ? `; best here ${fixed(vga.bestFps, 1)}.` : '.'),
    );
  }
  if (skipped.length) out.push('', 'Skipped:', ...skipped.map((s) => `- ${describeConfig(s.config)}: ${s.reason}`));
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  if (kernels.length) {
    out.push('', '## Kernels: batch 1, each alone as a one-node graph (Benchmark.js)', '', kernelTable(kernels), '',
      '×/image: how often the optimised network runs it ("fused": only in the imported graph). GFLOP/s = 2·MACs ÷ median; ' +
      'Gelem/s = elements of the first input ÷ median. The network row sums ×/image · median: compare with the batch-1 ms/image above.');
  }
  return `${out.join('\n')}\n`;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Horizontal bars of images/s, one panel per batch size, ours in orange. */
export function svgChart(runs: RunResult[], machine: Machine): string {
  const width = 960, labelWidth = 250, barWidth = 520, rowHeight = 22, top = 56;
  const max = Math.max(1e-9, ...runs.map((r) => r.imagesPerSecond));
  const batches = [...new Set(runs.map((r) => r.batch))].sort((a, b) => a - b);
  const parts: string[] = [];
  let y = top;
  for (const batch of batches) {
    parts.push(`<text x="10" y="${y + 14}" font-weight="bold">batch ${batch}</text>`);
    y += rowHeight;
    const panel = runs.filter((r) => r.batch === batch).sort((a, b) => b.imagesPerSecond - a.imagesPerSecond);
    for (const r of panel) {
      const w = Math.max(1, (r.imagesPerSecond / max) * barWidth);
      const label = `${r.engine} ${r.backend} t${r.threads}`;
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${isOurs(r) ? '#e8590c' : '#5c7cfa'}"/>`,
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${escapeXml(`${fixed(r.imagesPerSecond, 1)} img/s · ${fixed(r.msPerImage, 1)} ms`)}</text>`,
      );
      y += rowHeight;
    }
    y += 8;
  }
  const height = y + 24;
  const title = `facereid vs peers, images/s (higher is better) — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="42" fill="#555">${escapeXml(`median of round-robin runs after warm-up; ${machine.date}; load ${loads(machine.loadavg.start)}`)}</text>`,
    ...parts,
    `<text x="10" y="${height - 8}" fill="#555">orange: facereid (ours); blue: peers running the same graph</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The raw results (--json). */
export function jsonReport(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
