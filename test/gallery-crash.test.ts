// Crash safety of the gallery's write, tested directly (issue 10): a child process enrolls a name
// and is killed (SIGKILL) at each point of the write that gallery-file.ts reports through
// `onStep` — lock held before reading, temporary file written, fsynced, renamed over the
// gallery, folder fsynced — and, further, at random moments while it enrolls name after name.
// After every kill the gallery is the old version or the new one and valid; the dead child's
// lock is still there and does not block the next writer (same host, pid gone: removed at once),
// which also removes the temporary file the child left.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enroll } from '../rmnet/gallery.js';
import { readGallery, updateGallery, type WriteStep } from '../rmnet/gallery-file.js';
import { bundleChild, embeddingOf, SPACE } from './helpers/gallery.js';

const STEPS: WriteStep[] = ['locked', 'written', 'synced', 'renamed', 'committed'];
/** Kills at each step (5 x 40 = 200 runs), then kills at random moments. */
const RUNS_PER_STEP = 40;
const RANDOM_KILLS = 40;
/** Each run starts a node process (about 0.15 s of CPU): some 20-40 s on a quiet 2-core machine.
 *  This only guards against a hang, generously, since other test files share the cores. */
const TIMEOUT_MS = 600_000;
/** Independent galleries crashed side by side (the machine has 2 cores). */
const LANES = 2;
const SEED = 20_240_610;

const dir = mkdtempSync(join(tmpdir(), 'facereid-gallery-crash-'));
const script = await bundleChild(dir);

/** Runs the child; with `killAfterMs`, kills it that long after it says it is ready (so that
 *  however slowly node starts, the kill lands among the writes). Resolves with how it ended. */
function child(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdout.once('data', () => { if (killAfterMs !== undefined) timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs); });
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

const namesIn = (file: string) => readGallery(file, SPACE).identities.map((i) => i.name);

/** The next writer after a crash: it must get the lock (well before the timeout) and leave only the gallery. */
async function nextWriter(folder: string, file: string, name: string): Promise<void> {
  await updateGallery(file, SPACE, (g) => {
    enroll(g, name, [embeddingOf(name)]);
    return true;
  }, { lockTimeoutMs: 10_000 });
  expect(readdirSync(folder), `after ${name}`).toEqual(['g.json']);
}

/** A seeded generator (mulberry32), so a failing run can be repeated. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('gallery write under SIGKILL', () => {
  it(`at every step of the write, ${STEPS.length * RUNS_PER_STEP} runs`, async () => {
    const lane = async (l: number) => {
      const folder = mkdtempSync(join(dir, 'steps-'));
      const file = join(folder, 'g.json');
      await nextWriter(folder, file, `first-${l}`);
      for (let run = l; run < STEPS.length * RUNS_PER_STEP; run += LANES) {
        const step = STEPS[run % STEPS.length];
        const name = `run-${run}`;
        const before = namesIn(file);
        const r = await child(['crash', file, step, name]);
        expect(r.signal, `run ${run} (${step}) ended with ${r.code}: ${r.stderr}`).toBe('SIGKILL');
        // The rename is the commit: before it the old gallery, from it on the new one.
        const replaced = step === 'renamed' || step === 'committed';
        expect(namesIn(file), `run ${run} (${step})`).toEqual(replaced ? [...before, name] : before);
        expect(existsSync(`${file}.lock`), `run ${run} (${step}): the dead child's lock`).toBe(true);
        await nextWriter(folder, file, `after-${run}`);
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
  }, TIMEOUT_MS);

  it(`at random moments while enrolling, ${RANDOM_KILLS} runs (seed ${SEED})`, async () => {
    let completed = 0;
    const lane = async (l: number) => {
      const next = random(SEED + l);
      const folder = mkdtempSync(join(dir, 'random-'));
      const file = join(folder, 'g.json');
      await nextWriter(folder, file, `first-${l}`);
      for (let run = l; run < RANDOM_KILLS; run += LANES) {
        const delay = Math.floor(next() * 40);
        const before = namesIn(file);
        const r = await child(['crash', file, 'loop', `run-${run}`], delay);
        expect(r.signal, `run ${run} (killed after ${delay} ms) ended with ${r.code}: ${r.stderr}`).toBe('SIGKILL');
        // Whole enrollments only, in order: run-N-0 … run-N-(k-1) for some k.
        const added = namesIn(file).slice(before.length);
        expect(added, `run ${run} (killed after ${delay} ms)`).toEqual(added.map((_, i) => `run-${run}-${i}`));
        completed += added.length;
        await nextWriter(folder, file, `after-${run}`);
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
    console.log(`random kills: ${completed} enrollments completed in ${RANDOM_KILLS} runs before their kill`);
    expect(completed, 'the kills landed among the writes').toBeGreaterThan(0);
  }, TIMEOUT_MS);
});
