// Requests to a worker and their replies, both sides, over Node's worker threads or a browser's
// Web Workers (nodeWorker / browserWorker, nodeSelf / browserSelf adapt each; this file imports
// neither, so it runs in both). The worker answers one request at a time in the order they came,
// so the asker matches each reply to the oldest request still unanswered: several may be in
// flight, and each is posted at once, so the worker starts on it while the asker does its own
// share. In Node the worker keeps the process alive only while a reply is due (an idle one lets
// it end without close()).

import type { MessagePort, Worker as NodeWorker } from 'node:worker_threads';

/** A worker, seen from the thread that made it. */
export interface WorkerPort {
  post(message: unknown, transfer: ArrayBuffer[]): void;
  /** `onMessage` gets each reply; `onFailure` an error the worker threw outside a request, or its end. */
  listen(onMessage: (reply: unknown) => void, onFailure: (error: Error) => void): void;
  /** Whether a reply is due: Node lets an idle worker's process end; a browser ignores it. */
  hold(due: boolean): void;
  terminate(): Promise<void>;
}

/** A worker's own side: how it hears requests and posts replies. */
export interface WorkerSelf {
  post(message: unknown, transfer: ArrayBuffer[]): void;
  listen(onMessage: (request: unknown) => void): void;
}

/** The parts of a browser's Worker (or a worker's global `self`) used here. */
export interface BrowserEndpoint {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: { data?: unknown; message?: string }) => void): void;
}

export function nodeWorker(worker: NodeWorker): WorkerPort {
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onMessage, onFailure) {
      worker.on('message', onMessage);
      worker.on('error', onFailure);
      worker.on('exit', (code) => onFailure(new Error(`a worker thread stopped (exit code ${code}) before it answered`)));
    },
    hold: (due) => (due ? worker.ref() : worker.unref()),
    terminate: async () => { await worker.terminate(); },
  };
}

export function browserWorker(worker: BrowserEndpoint & { terminate(): void }): WorkerPort {
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(onMessage, onFailure) {
      worker.addEventListener('message', (event) => onMessage(event.data));
      // A worker whose script fails to load or throws outside a request fires `error`; one whose
      // message cannot be deserialised, `messageerror`. A browser worker has no exit event.
      worker.addEventListener('error', (event) => onFailure(new Error(`a web worker failed: ${event.message ?? 'its script did not load'}`)));
      worker.addEventListener('messageerror', () => onFailure(new Error('a web worker\'s reply could not be read')));
    },
    hold: () => undefined,
    terminate: async () => worker.terminate(),
  };
}

export function nodeSelf(port: MessagePort): WorkerSelf {
  return { post: (message, transfer) => port.postMessage(message, transfer), listen: (onMessage) => port.on('message', onMessage) };
}

export function browserSelf(scope: BrowserEndpoint): WorkerSelf {
  return { post: (message, transfer) => scope.postMessage(message, transfer), listen: (onMessage) => scope.addEventListener('message', (event) => onMessage(event.data)) };
}

/** What a reply that is a failure says, or undefined for a reply that is not one. */
export type FailureOf<Reply> = (reply: Reply) => Error | undefined;

export class WorkerLink<Request, Reply> {
  /** Requests posted and not yet answered, oldest first. */
  private readonly pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];

  constructor(readonly worker: WorkerPort, failureOf: FailureOf<Reply>) {
    worker.hold(false);
    worker.listen((message) => {
      const reply = message as Reply;
      const asker = this.pending.shift();
      if (this.pending.length === 0) worker.hold(false);
      const failure = failureOf(reply);
      if (failure) asker?.reject(failure);
      else asker?.resolve(reply);
    }, (error) => this.fail(error));
  }

  private fail(error: Error): void {
    for (const asker of this.pending.splice(0)) asker.reject(error);
  }

  /** Posts the request now; resolves to its reply, or rejects with the worker's failure. */
  ask(request: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.pending.length === 0) this.worker.hold(true);
      this.pending.push({ resolve, reject });
      this.worker.post(request, transfer);
    });
  }

  /** Stops the worker; whatever was still due is rejected. */
  async close(): Promise<void> {
    await this.worker.terminate();
    this.fail(new Error('the worker was stopped before it answered')); // Node said so on exit; a browser says nothing
  }
}

/**
 * The worker's side: answers each request with `handle`'s reply (its buffers `transfer` named
 * moved, not copied), or with `failure(message)` when it throws — one request at a time, in order.
 */
export function serve<Request, Reply>(self: WorkerSelf, handle: (request: Request) => Reply | Promise<Reply>,
  transfer: (reply: Reply) => ArrayBuffer[], failure: (message: string) => Reply): void {
  let done: Promise<void> = Promise.resolve();
  self.listen((request) => {
    done = done.then(() => handle(request as Request)).then(
      (reply) => self.post(reply, transfer(reply)),
      (error: unknown) => self.post(failure(error instanceof Error ? error.message : String(error)), []),
    );
  });
}
