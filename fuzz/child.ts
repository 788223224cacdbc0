// One fuzz worker: judges mutants `from` .. `to` - 1 of one target in order, telling the runner
// (main.ts) when each starts (and its size) and how it ended, so the runner can kill it on a hang.

import { judge, type Verdict } from './contract.js';
import { TARGETS } from './targets/index.js';

export type ChildMessage = { type: 'start'; index: number; bytes: number } | { type: 'done'; verdict: Verdict };

const [name, seed, from, to] = process.argv.slice(2);
const target = TARGETS[name];
const seeds = await target.seeds();
const send = (message: ChildMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
for (let index = Number(from); index < Number(to); index++) {
  const verdict = await judge(target, seeds, Number(seed), index, (bytes) => send({ type: 'start', index, bytes }));
  await send({ type: 'done', verdict });
}
process.disconnect();
