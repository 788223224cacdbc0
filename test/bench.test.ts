// The benchmark (bench/, `npm run bench`): its correctness checks and its output formats — never
// its timings. One tiny real run (our cpu backend and onnxruntime-node, batch 1, one round, the
// max-pool kernels only) through the compiled CLI, then the report functions on fixed numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../bench/e2e.js';
import { parseXml } from '../importer/openvino/xml-tree.js';
import { E2E_HEADER, e2eTable, KERNEL_HEADER, svgChart, type Machine } from '../bench/report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const headerRow = (cells: string[]) => `| ${cells.join(' | ')} |`;

interface Output {
  stdout: string;
  markdown: string;
  svg: string;
  json: { machine: Record<string, unknown>; runs: Record<string, unknown>[]; kernels: Record<string, unknown>[]; skipped: unknown[] };
}

describe('npm run bench, a tiny configuration', () => {
  const out = mkdtempSync(join(tmpdir(), 'facereid-bench-test-'));
  let result: Output;

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')], { cwd: ROOT });
    const stdout = execFileSync(process.execPath, [
      join(ROOT, 'dist-bench/main.js'), '--quick', '--engines', 'facereid-cpu,ort-node', '--backends', 'cpu', '--batches', '1',
      '--warmup', '1', '--rounds', '1', '--round-ms', '0', '--kernels', 'max-pool', '--kernel-time', '0.02',
      '--out', out, '--json', join(out, 'results.json'),
    ], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    result = {
      stdout,
      markdown: readFileSync(join(out, 'latest.md'), 'utf8'),
      svg: readFileSync(join(out, 'latest.svg'), 'utf8'),
      json: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')),
    };
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

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
  });

  it('writes a well-formed SVG with a bar per run', () => {
    expect(parseXml(result.svg, 64).name).toBe('svg'); // well-formed
    expect(result.svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(result.svg.match(/<rect /g)!.length).toBe(1 + result.json.runs.length);
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

  it('escapes labels in the SVG', () => {
    const machine: Machine = { cpu: 'A & B <cpu>', cores: 2, os: 'x', node: 'v20', totalMemoryGb: 1, loadavg: { start: [0, 0, 0], end: [0, 0, 0] }, date: 'now' };
    const svg = svgChart(runs, machine);
    expect(parseXml(svg, 64).name).toBe('svg'); // well-formed
    expect(svg).toContain('A &#38; B &#60;cpu&#62;');
  });
});
