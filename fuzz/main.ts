// npm run fuzz -- [--target NAME[,NAME…]] [--seed S] [--count N] [--time SECONDS] [--index I [--save DIR]]
//
// For each target (default: all), mutants 0 .. count-1 of the seed are judged in a child process
// (child.ts) that the runner kills when one input runs past the time limit; a killed or crashed
// child is a finding and a new child goes on from the next index. --time caps each target's
// wall time. --index replays one mutant in this process and prints its verdict (--save writes its
// files). Exit status 1 when anything was found.

import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildMessage } from './child.js';
import { judge, mutant, replayCommand, timeLimitMs, type Verdict } from './contract.js';
import { TARGETS } from './targets/index.js';

const { values } = parseArgs({ options: {
  target: { type: 'string' }, seed: { type: 'string', default: '1' }, count: { type: 'string', default: '10000' },
  time: { type: 'string' }, index: { type: 'string' }, save: { type: 'string' },
} });
const names = values.target?.split(',') ?? Object.keys(TARGETS);
for (const name of names) if (!TARGETS[name]) throw new Error(`unknown target '${name}' (targets: ${Object.keys(TARGETS).join(', ')})`);
const seed = Number(values.seed);

if (values.index !== undefined) {
  const target = TARGETS[names[0]];
  const seeds = await target.seeds();
  const index = Number(values.index);
  if (values.save) {
    mkdirSync(values.save, { recursive: true });
    for (const file of mutant(target, seeds, seed, index).input.files) writeFileSync(join(values.save, file.name), file.bytes);
  }
  const verdict = await judge(target, seeds, seed, index);
  console.log(`${target.name} #${index} (${verdict.how}): ${verdict.outcome} in ${verdict.ms.toFixed(0)} ms${verdict.detail ? `: ${verdict.detail}` : ''}`);
  process.exit(verdict.outcome === 'finding' ? 1 : 0);
}

const count = Number(values.count);
const deadline = (started: number) => (values.time ? started + 1000 * Number(values.time) : Infinity);
let findings = 0;
for (const name of names) {
  const started = Date.now();
  const tally = { loaded: 0, refused: 0, finding: 0 };
  let next = 0;
  while (next < count && Date.now() < deadline(started)) {
    next = await runChild(name, next, count, deadline(started), (verdict) => {
      tally[verdict.outcome]++;
      if (verdict.outcome === 'finding') report(verdict);
    });
  }
  findings += tally.finding;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`${name}: ${next} mutants (seed ${seed}) in ${seconds} s: ${tally.loaded} loaded, ${tally.refused} refused, ${tally.finding} finding(s)`);
}
process.exit(findings > 0 ? 1 : 0);

function report(verdict: Verdict): void {
  console.log(`FINDING ${verdict.target} #${verdict.index} (${verdict.how}): ${verdict.detail}\n  replay: ${replayCommand(verdict)}`);
}

/** Runs a child over [from, to) until it finishes, hangs, crashes or the deadline passes; resolves to the next index to run. */
function runChild(name: string, from: number, to: number, until: number, done: (verdict: Verdict) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = fork(new URL('./child.js', import.meta.url), [name, String(seed), String(from), String(to)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
    let current = from;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (nextIndex: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(nextIndex);
    };
    const fail = (detail: string) => {
      done({ target: name, seed, index: current, how: '(see replay)', outcome: 'finding', detail, ms: 0, bytes: 0 });
      finish(current + 1);
    };
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'start') {
        current = message.index;
        clearTimeout(timer);
        const limit = timeLimitMs(message.bytes);
        timer = setTimeout(() => fail(`no verdict within ${limit} ms: killed`), limit);
        return;
      }
      clearTimeout(timer);
      done(message.verdict);
      if (Date.now() >= until) finish(message.verdict.index + 1);
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      if (code === 0) finish(to);
      else fail(`the child died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    });
  });
}
