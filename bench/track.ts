// The track section: frames per second of `facereid track` — the built CLI, single thread, simd
// device, default options — on the synthetic re-identification clip (test/helpers/clip.ts: 640x480,
// seven people entering, moving, leaving and coming back, faces 45–90 px) and on the same people
// at the same sizes in a 1280x720 frame. Each clip is written as Y4M (4:2:0) and tracked `runs`
// times, the clips taken in turn. Reported per clip: the best and median wall-clock rate (the
// CLI's summary: model loading excluded), the best run's time per frame by stage (its last
// progress line), and a rate from CPU time — the child's user + system seconds for the whole clip
// minus those for its first HEAD frames alone, over the frames in between — which the other
// processes of a shared machine disturb far less than wall time.
//
// The clip builder is test code, outside this folder's compilation: esbuild bundles it beside
// the compiled bench at run time (its packages stay imports, resolved from the project).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findMtcnn } from '../dist/rmnet/mtcnn/index.js';
import { median } from './e2e.js';
import { sharedOf } from './pipeline.js';

const SIZES: [number, number][] = [[640, 480], [1280, 720]];
/** Frames whose CPU time (model loading, compiling each shape met) is taken off the whole clip's. */
const HEAD = 10;
const CLI = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
/** Loaded before the CLI: prints the process's CPU seconds on exit. */
const CPU_REPORT = 'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write(`cpu ${(u.user+u.system)/1e6}\\n`)})';

export interface TrackResult {
  /** "640x480". */
  frame: string;
  frames: number;
  /** Faces shown per frame: mean, and most in one frame. */
  facesPerFrame: number;
  maxFaces: number;
  runs: number;
  /** Wall-clock frames per second of the runs: best and median. */
  bestFps: number;
  medianFps: number;
  /** The best run's ms per frame: finding faces (detection, or following between detections), aligning and embedding them, tracking. */
  split: { find: number; embed: number; track: number };
  /** Frames per second from the child's CPU time, the first HEAD frames left out. */
  cpuFps: number;
}

export interface TrackOptions {
  models: string;
  runs: number;
  /** Only the clip's first frames (a short run); default all. */
  frames?: number;
  log(line: string): void;
}

/** What the bench uses of test/helpers/clip.ts. */
interface ClipScript {
  width: number;
  height: number;
  frames: number;
  appearances: { keys: { frame: number; x: number; y: number; scale: number }[] }[];
}
interface ClipBuilder {
  REID_CLIP: ClipScript;
  Clip: { load(script: ClipScript, shared: string): Promise<{ writeY4m(path: string): void }> };
}

async function clipBuilder(): Promise<ClipBuilder> {
  const outfile = fileURLToPath(new URL('./clip.mjs', import.meta.url));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(new URL('../test/helpers/clip.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'warning',
  });
  return await import(pathToFileURL(outfile).href) as ClipBuilder;
}

/** The same people at the same sizes on another frame: positions stretched, scales kept. */
function stretched(script: ClipScript, width: number, height: number, frames: number): ClipScript {
  const [sx, sy] = [width / script.width, height / script.height];
  return { ...script, width, height, frames, appearances: script.appearances.map((a) => ({ ...a, keys: a.keys.map((k) => ({ ...k, x: k.x * sx, y: k.y * sy })) })) };
}

interface Run {
  fps: number;
  split: TrackResult['split'];
  cpu: number;
  faces: number[];
}

/** One `facereid track --json` of a Y4M file, in a child of its own. */
function track(file: string, models: string): Run {
  const r = spawnSync(process.execPath, ['--import', CPU_REPORT, CLI, 'track', file, '--json', '--device', 'simd', '--models', models],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`facereid track ${file} failed: ${r.stderr || r.error?.message}`);
  const lines = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { faces: unknown[]; summary?: { fps: number } });
  const split = [...r.stderr.matchAll(/per frame: find ([\d.]+) ms, embed ([\d.]+) ms, track ([\d.]+) ms/g)].at(-1);
  const cpu = /^cpu ([\d.]+)$/m.exec(r.stderr);
  const summary = lines.at(-1)?.summary;
  if (!split || !cpu || !summary) throw new Error(`facereid track ${file}: expected a JSON summary and a "per frame: find … ms, embed … ms, track … ms" line, got: ${r.stderr}`);
  return {
    fps: summary.fps, split: { find: Number(split[1]), embed: Number(split[2]), track: Number(split[3]) }, cpu: Number(cpu[1]),
    faces: lines.slice(0, -1).map((frame) => frame.faces.length),
  };
}

export async function runTrack(options: TrackOptions): Promise<TrackResult[]> {
  const { Clip, REID_CLIP } = await clipBuilder();
  const shared = sharedOf(findMtcnn(options.models).det1.prototxt);
  const frames = Math.min(options.frames ?? REID_CLIP.frames, REID_CLIP.frames);
  if (frames <= HEAD) throw new Error(`track: the clip needs more than ${HEAD} frames (the CPU rate leaves the first ${HEAD} out), got ${frames}`);
  const dir = mkdtempSync(join(tmpdir(), 'facereid-bench-track-'));
  try {
    const clips = [];
    for (const [width, height] of SIZES) {
      const name = `${width}x${height}`;
      const [full, head] = [join(dir, `${name}.y4m`), join(dir, `${name}-head.y4m`)];
      (await Clip.load(stretched(REID_CLIP, width, height, frames), shared)).writeY4m(full);
      (await Clip.load(stretched(REID_CLIP, width, height, HEAD), shared)).writeY4m(head);
      clips.push({ name, full, head, runs: [] as Run[], headCpu: [] as number[] });
    }
    options.log(`  clips written: ${clips.map((c) => c.name).join(', ')}, ${frames} frames each`);
    for (let run = 0; run < options.runs; run++) {
      for (const clip of clips) {
        clip.runs.push(track(clip.full, options.models));
        clip.headCpu.push(track(clip.head, options.models).cpu);
        options.log(`  run ${run + 1}/${options.runs} ${clip.name}: ${clip.runs.at(-1)!.fps} fps`);
      }
    }
    return clips.map(({ name, runs, headCpu }) => {
      const best = runs.reduce((a, b) => (b.fps > a.fps ? b : a));
      const faces = best.faces;
      return {
        frame: name, frames, runs: runs.length, facesPerFrame: faces.reduce((a, b) => a + b, 0) / faces.length, maxFaces: Math.max(...faces),
        bestFps: best.fps, medianFps: median(runs.map((r) => r.fps)), split: best.split,
        cpuFps: (frames - HEAD) / (Math.min(...runs.map((r) => r.cpu)) - Math.min(...headCpu)),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
