// Frames per second of `facereid track` (the built CLI, single thread) on the synthetic
// re-identification clip (test/helpers/clip.ts: 3.3 people on screen on average, up to 6, faces 45–90 px) at
// 640x480, and the same people at the same sizes on a 1280x720 frame.
//
//   npm run speed:track [-- [--runs N] [--shared DIR] [other facereid track options, e.g. --detect-every 10]]
//
// Each clip is written as Y4M (4:2:0) and tracked `runs` times, interleaved. Reported per clip:
// the best wall-clock rate the CLI itself prints (model loading excluded), its per-frame split
// (finding faces / aligning and embedding / tracking), and a rate from CPU time — the child's
// user + system seconds for the whole clip minus those for its first 10 frames, over the frames
// in between — which the other processes on a shared machine disturb far less than wall time.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Clip, REID_CLIP, type ClipScript } from '../test/helpers/clip.js';

/** --runs N and --shared DIR are the script's; every other argument goes to facereid track. */
const args = process.argv.slice(2);
const own = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? fallback : args.splice(at, 2)[1];
};
const runs = Number(own('runs', '3'));
const shared = resolve(own('shared', '../shared'));
const extra = args;
const CLI = resolve('dist/cli/main.js');
const HEAD = 10;
/** Prints the process's CPU seconds on exit. */
const CPU_REPORT = 'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write(`cpu ${(u.user+u.system)/1e6}\\n`)})';

/** The same people at the same sizes on a bigger frame: positions stretched, scales kept. */
function stretched(script: ClipScript, width: number, height: number): ClipScript {
  const [sx, sy] = [width / script.width, height / script.height];
  return { ...script, width, height, appearances: script.appearances.map((a) => ({ ...a, keys: a.keys.map((k) => ({ ...k, x: k.x * sx, y: k.y * sy })) })) };
}

function track(file: string): { fps: number; split: string; cpu: number; faces: number } {
  const r = spawnSync(process.execPath, ['--import', CPU_REPORT, CLI, 'track', file, '--json', '--models', join(shared, 'models'), ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`facereid track ${file} failed: ${r.stderr}`);
  const last = /track: (\d+) frames, ([\d.]+) fps \(per frame: (.*)\)\n(?![\s\S]*track:)/.exec(r.stderr);
  const cpu = /cpu ([\d.]+)/.exec(r.stderr);
  if (!last || !cpu) throw new Error(`unexpected output from facereid track: ${r.stderr}`);
  const frames = r.stdout.trim().split('\n').slice(0, -1).map((line) => JSON.parse(line) as { faces: unknown[] });
  return { fps: Number(last[2]), split: last[3], cpu: Number(cpu[1]), faces: frames.reduce((n, f) => n + f.faces.length, 0) / frames.length };
}

const dir = mkdtempSync(join(tmpdir(), 'facereid-track-speed-'));
try {
  const clips = [];
  for (const [width, height] of [[640, 480], [1280, 720]]) {
    const clip = await Clip.load(stretched(REID_CLIP, width, height), shared);
    const full = join(dir, `${width}x${height}.y4m`);
    const head = join(dir, `${width}x${height}-head.y4m`);
    clip.writeY4m(full);
    (await Clip.load({ ...stretched(REID_CLIP, width, height), frames: HEAD }, shared)).writeY4m(head);
    clips.push({ name: `${width}x${height}`, frames: clip.frames, full, head, results: [] as ReturnType<typeof track>[], headCpu: [] as number[] });
  }
  for (let run = 0; run < runs; run++) {
    for (const clip of clips) {
      clip.results.push(track(clip.full));
      clip.headCpu.push(track(clip.head).cpu);
      process.stderr.write(`run ${run + 1}/${runs} ${clip.name}: ${clip.results.at(-1)!.fps} fps\n`);
    }
  }
  console.log(`facereid track, ${runs} runs, options: ${extra.join(' ') || '(defaults)'}`);
  console.log('| frame | frames | faces shown per frame | best wall fps | its split per frame | fps from CPU time |');
  console.log('| --- | ---: | ---: | ---: | --- | ---: |');
  for (const clip of clips) {
    const best = clip.results.reduce((a, b) => (b.fps > a.fps ? b : a));
    const cpuPerFrame = Math.min(...clip.results.map((r) => r.cpu)) - Math.min(...clip.headCpu);
    console.log(`| ${clip.name} | ${clip.frames} | ${best.faces.toFixed(2)} | ${best.fps.toFixed(1)} | ${best.split} | ${((clip.frames - HEAD) / cpuPerFrame).toFixed(1)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
