/**
 * Keeps one comlink worker alive. A worker can die without a word (out of memory, a runtime abort
 * that leaves its WebAssembly unusable, a `close()`): its pending calls would then wait forever.
 * The supervisor treats an error that escaped the worker, or silence past a limit (the worker posts
 * a heartbeat every second; a long WebAssembly run may block it for a while, so the limit is longer
 * while a call is pending), as a crash: the worker is terminated, its pending calls reject with
 * WorkerCrashedError, listeners hear why, and the next call starts a fresh worker.
 */
import * as Comlink from 'comlink';

/** The parts of a Worker the supervisor uses (a fake in tests). */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export interface SupervisorOptions {
  /** Silence (no heartbeat) after which an idle worker counts as dead. */
  idleSilenceMs: number;
  /** Silence after which a worker with a pending call counts as dead (one long run blocks heartbeats). */
  busySilenceMs: number;
  /** How often silence is checked. */
  checkEveryMs: number;
}

export const DEFAULT_SUPERVISION: SupervisorOptions = { idleSilenceMs: 10_000, busySilenceMs: 90_000, checkEveryMs: 1000 };

export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}

export interface Crash {
  reason: string;
  /** Counts workers started so far (1 for the first). */
  generation: number;
}

interface Handle<T> {
  worker: WorkerLike;
  remote: Comlink.Remote<T>;
  generation: number;
  lastBeat: number;
  dead: boolean;
  /** Rejects when this worker is declared dead. */
  crashed: Promise<never>;
  fail(error: WorkerCrashedError): void;
}

type Method = (...args: unknown[]) => Promise<unknown>;

export class WorkerSupervisor<T extends object> {
  private handle: Handle<T> | null = null;
  private generation = 0;
  private pending = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(crash: Crash) => void>();
  /** The API: every call goes to the live worker, and rejects if that worker dies first. */
  readonly api: Comlink.Remote<T>;

  constructor(
    private readonly start: () => WorkerLike,
    private readonly options: SupervisorOptions = DEFAULT_SUPERVISION,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.api = new Proxy({} as Comlink.Remote<T>, {
      get: (_, name) => (typeof name === 'string' ? (...args: unknown[]) => this.call(name, args) : undefined),
    });
  }

  /** Calls `listener` after each crash (the new worker starts on the next call). */
  onCrash(listener: (crash: Crash) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the current worker as crashed (also what the watchdog does). */
  crash(reason: string): void {
    const handle = this.handle;
    if (handle === null || handle.dead) return;
    handle.dead = true;
    this.handle = null;
    handle.worker.terminate();
    handle.fail(new WorkerCrashedError(`the analysis worker stopped (${reason})`));
    for (const listener of this.listeners) listener({ reason, generation: handle.generation });
  }

  private async call(name: string, args: unknown[]): Promise<unknown> {
    const handle = this.live();
    this.pending += 1;
    try {
      const method = (handle.remote as unknown as Record<string, Method>)[name]!;
      return await Promise.race([method(...args), handle.crashed]);
    } finally {
      this.pending -= 1;
    }
  }

  private live(): Handle<T> {
    if (this.handle !== null) return this.handle;
    const worker = this.start();
    this.generation += 1;
    let fail: (error: WorkerCrashedError) => void = () => {};
    const crashed = new Promise<never>((_, reject) => (fail = reject));
    crashed.catch(() => undefined);
    const handle: Handle<T> = {
      worker,
      remote: Comlink.wrap<T>(worker),
      generation: this.generation,
      lastBeat: this.now(),
      dead: false,
      crashed,
      fail,
    };
    worker.addEventListener('message', (event) => {
      if (typeof (event as MessageEvent).data?.locusHeartbeat === 'number') handle.lastBeat = this.now();
    });
    worker.addEventListener('error', (event) => {
      const message = (event as ErrorEvent).message || 'an uncaught error';
      if (handle === this.handle) this.crash(`an error escaped it: ${message}`);
    });
    this.handle = handle;
    this.timer ??= setInterval(() => this.check(), this.options.checkEveryMs);
    return handle;
  }

  private check(): void {
    const handle = this.handle;
    if (handle === null) return;
    const limit = this.pending > 0 ? this.options.busySilenceMs : this.options.idleSilenceMs;
    const silent = this.now() - handle.lastBeat;
    if (silent > limit) this.crash(`no sign of life for ${Math.round(silent / 1000)} s`);
  }
}
