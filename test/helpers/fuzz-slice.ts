// A fixed-seed slice of the fuzzer (fuzz/), run in the test process: every mutant must load or be
// refused as fuzz/contract.ts says. A failure lists the findings with the command replaying each.
import { expect, it } from 'vitest';
import { judge, replayCommand } from '../../fuzz/contract.js';
import { TARGETS } from '../../fuzz/targets/index.js';

export const SLICE_SEED = 2024;
export const SLICE_COUNT = 1000;

export function fuzzSlice(name: string): void {
  it(`${name}: ${SLICE_COUNT} mutants of seed ${SLICE_SEED} load or are refused naming the file`, async () => {
    const target = TARGETS[name];
    const seeds = await target.seeds();
    const findings: string[] = [];
    const tally = { loaded: 0, refused: 0, finding: 0 };
    for (let index = 0; index < SLICE_COUNT; index++) {
      const verdict = await judge(target, seeds, SLICE_SEED, index);
      tally[verdict.outcome]++;
      if (verdict.outcome === 'finding') findings.push(`#${index} (${verdict.how}): ${verdict.detail} [${replayCommand(verdict)}]`);
    }
    expect(findings).toEqual([]);
    // A slice where nothing loads (or nothing is refused) would test little.
    expect(tally.loaded).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  }, 600_000);
}
