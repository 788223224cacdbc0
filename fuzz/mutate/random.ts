// The fuzzer's only source of chance: a small seeded generator (SplitMix32), so a mutant is a pure
// function of (seed, target, index) and `--seed S --index I` rebuilds exactly the input a run printed.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.uint32() / 2 ** 32) * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.uint32() / 2 ** 32 < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

/** The generator for one mutant: seed, target and index mixed so that neighbouring indices differ fully. */
export function caseRandom(seed: number, target: string, index: number): Random {
  let h = 0x811c9dc5;
  for (const c of `${target}:${seed}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return new Random(h);
}
