// npm run bench -- --startup [--runs N]: how long the command line takes from start to answer, run
// as a user runs it (node dist/bin/main.js, a new process each time): the minimum wall time of N
// runs, and the minimum CPU time (user + system, from /usr/bin/time where it exists). Each command
// runs twice over: with the cache empty (a new cache folder each run: a first run after install)
// and filled by an earlier run (engine/disk-cache.ts: the code cache of the command line, imported
// graphs, generated WebAssembly).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'bin', 'main.js');
const MTCNN = join(ROOT, 'models', 'mtcnn');
const FACES = join(ROOT, '..', 'shared', 'models', 'face-reidentification-retail-0001', 'reference', 'faces');
const TIME = '/usr/bin/time';

interface Case {
  label: string;
  args: string[];
}

const CASES: Case[] = [
  { label: 'facereid --help', args: ['--help'] },
  { label: 'facereid compare --help', args: ['compare', '--help'] },
  { label: 'facereid compare a.jpg b.jpg (two reference photos, 140x190)', args: ['compare', join(FACES, '0', '0_0.jpg'), join(FACES, '0', '0_1.jpg')] },
  { label: "facereid compare test1.jpg test2.jpg (MTCNN's demo photos, 450x344 and 640x480)", args: ['compare', join(MTCNN, 'test1.jpg'), join(MTCNN, 'test2.jpg')] },
  { label: 'facereid compare --no-detect a.jpg b.jpg (tight crops)', args: ['compare', '--no-detect', join(FACES, '0', '0_0.jpg'), join(FACES, '0', '0_1.jpg')] },
];

/** One run: wall time (ms) and, with /usr/bin/time, CPU time (ms). */
function once(args: string[], cache: string): { wallMs: number; cpuMs?: number } {
  const env = { ...process.env, FACEREID_CACHE: cache };
  const timed = existsSync(TIME);
  const [command, list] = timed ? [TIME, ['-f', '%U %S', process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const start = performance.now();
  const r = spawnSync(command, list, { env, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (r.status !== 0 && r.status !== 1) throw new Error(`facereid ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  if (!timed) return { wallMs };
  const [user, system] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wallMs, cpuMs: 1000 * (user + system) };
}

function measure(args: string[], runs: number, cache: 'cold' | 'warm'): { wallMs: number; cpuMs?: number } {
  const best = { wallMs: Infinity, cpuMs: undefined as number | undefined };
  const warmFolder = cache === 'warm' ? mkdtempSync(join(tmpdir(), 'facereid-cache-')) : undefined;
  if (warmFolder) once(args, warmFolder);
  for (let i = 0; i < runs; i++) {
    const folder = warmFolder ?? mkdtempSync(join(tmpdir(), 'facereid-cache-'));
    const r = once(args, folder);
    if (cache === 'cold') rmSync(folder, { recursive: true, force: true });
    best.wallMs = Math.min(best.wallMs, r.wallMs);
    if (r.cpuMs !== undefined) best.cpuMs = Math.min(best.cpuMs ?? Infinity, r.cpuMs);
  }
  if (warmFolder) rmSync(warmFolder, { recursive: true, force: true });
  return best;
}

export function startup(args: string[]): void {
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Number(args[at + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number from 1, found '${args[at + 1]}'`);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  const rows = ['| command | cache | min wall ms | min CPU ms |', '| --- | --- | ---: | ---: |'];
  for (const c of CASES) {
    if (c.args.some((a) => a.startsWith(FACES)) && !existsSync(FACES)) continue; // the reference photos live in ../shared
    for (const cache of ['cold', 'warm'] as const) {
      const { wallMs, cpuMs } = measure(c.args, runs, cache);
      rows.push(`| ${c.label} | ${cache} | ${wallMs.toFixed(0)} | ${cpuMs === undefined ? '' : cpuMs.toFixed(0)} |`);
      process.stderr.write(`${rows.at(-1)}\n`);
    }
  }
  process.stdout.write(`Start-up, minimum of ${runs} runs (Node ${process.versions.node}, load average ${load} at the start)\n\n${rows.join('\n')}\n`);
}
