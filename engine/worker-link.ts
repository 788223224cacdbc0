// Requests to a worker thread and their replies, both sides (Node). The worker answers one
// request at a time in the order they came, so the asker matches each reply to the oldest
// request still unanswered: several may be in flight, and each is posted at once, so the worker
// starts on it while the asker does its own share. The worker keeps the process alive only
// while a reply is due (an idle one lets it end without close()).

import { parentPort, type Worker } from 'node:worker_threads';

/** What a reply that is a failure says, or undefined for a reply that is not one. */
export type FailureOf<Reply> = (reply: Reply) => Error | undefined;

export class WorkerLink<Request, Reply> {
  /** Requests posted and not yet answered, oldest first. */
  private readonly pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];

  constructor(readonly worker: Worker, failureOf: FailureOf<Reply>) {
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const asker = this.pending.shift();
      if (this.pending.length === 0) worker.unref();
      const failure = failureOf(reply);
      if (failure) asker?.reject(failure);
      else asker?.resolve(reply);
    });
    const fail = (error: Error) => { for (const asker of this.pending.splice(0)) asker.reject(error); };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code}) before it answered`)));
  }

  /** Posts the request now; resolves to its reply, or rejects with the worker's failure. */
  ask(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.pending.length === 0) this.worker.ref();
      this.pending.push({ resolve, reject });
      this.worker.postMessage(request, transfer);
    });
  }

  /** Stops the worker; whatever was still due is rejected. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * The worker's side: answers each request with `handle`'s reply (its buffers `transfer` named
 * moved, not copied), or with `failure(message)` when it throws — one request at a time, in order.
 */
export function serve<Request, Reply>(handle: (request: Request) => Reply | Promise<Reply>,
  transfer: (reply: Reply) => ArrayBuffer[], failure: (message: string) => Reply): void {
  let done: Promise<void> = Promise.resolve();
  parentPort?.on('message', (request: Request) => {
    done = done.then(() => handle(request)).then(
      (reply) => parentPort!.postMessage(reply, transfer(reply)),
      (error: unknown) => parentPort!.postMessage(failure(error instanceof Error ? error.message : String(error))),
    );
  });
}
