// Tasks that share state (a net's memory, a detector's candidate stores) run one at a time, each
// starting once the one before has settled, in the order they were handed over: so async callers
// may start several at once (Promise.all over photos) and each gets what it would alone.

export class Serial {
  private last: Promise<unknown> = Promise.resolve();

  /** `task()` once every task handed over before it has settled; its result or its failure. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.last.then(task);
    this.last = result.catch(() => undefined);
    return result;
  }
}
