import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** One batch for a worker: candidates against one hash, stopping at `deadline` (epoch ms). */
export interface BcryptJob {
  hash: string;
  candidates: string[];
  deadline: number;
}

export interface BcryptJobResult {
  /** Candidates actually hashed (fewer than sent when the deadline passed). */
  tested: number;
  /** Index in `candidates` of the one that matched, or -1. */
  match: number;
  /** Milliseconds the worker spent hashing this batch (queue time excluded). */
  ms: number;
}

/** What each worker is started with. */
export interface BcryptWorkerData {
  /** The @node-rs/bcrypt entry point the worker loads. */
  bcryptPath: string;
}

/**
 * The worker's module (a checked JavaScript file: it says why), beside this one in `src/` and in `dist/`.
 * Started with an empty `execArgv`: the parent's flags (`--import tsx` under tests) would load a TypeScript
 * loader that this file does not need into every worker.
 */
const WORKER_MODULE = new URL("./bcrypt-worker.js", import.meta.url);

/** Absolute path of the @node-rs/bcrypt entry point, resolved from here so a global install works. */
function bcryptEntry(): string {
  return createRequire(import.meta.url).resolve("@node-rs/bcrypt");
}

interface Pending {
  resolve: (result: BcryptJobResult) => void;
  reject: (error: Error) => void;
}

/**
 * Jobs queued on one worker at a time. Two, so the next batch is already waiting when one finishes: a
 * worker never idles for the round trip to the main thread, which on a busy machine can cost as much as a
 * cost-12 hash (the main thread has to be scheduled before it can send more work).
 */
export const JOBS_PER_WORKER = 2;

/** A fixed set of worker threads that verify candidates with @node-rs/bcrypt, each with a short job queue. */
export class BcryptPool {
  private readonly workers: Worker[];
  /** Each worker's jobs in the order it will answer them (a worker handles its messages in order). */
  private readonly queues = new Map<Worker, Pending[]>();
  private readonly waiting: (() => void)[] = [];
  /** Why a worker died: its jobs fail with this instead of hanging. */
  private readonly broken = new Map<Worker, Error>();
  private closed = false;

  /** `bcryptPath`: the @node-rs/bcrypt entry point (resolved from this package unless given). */
  constructor(
    readonly size: number,
    bcryptPath: string = bcryptEntry(),
  ) {
    const workerData: BcryptWorkerData = { bcryptPath };
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = new Worker(WORKER_MODULE, { workerData, execArgv: [] });
      // A pool that nobody awaits must not keep the process alive.
      worker.unref();
      this.queues.set(worker, []);
      worker.on("message", (result: BcryptJobResult) => {
        this.queues.get(worker)?.shift()?.resolve(result);
        this.waiting.shift()?.();
      });
      // Listeners stay for the worker's life: an 'error' with no listener would crash the process, and a
      // worker that exits mid-job would otherwise leave its jobs waiting forever.
      worker.on("error", (error: Error) => this.fail(worker, error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(worker, new Error(`a bcrypt worker exited (code ${code})`));
      });
      return worker;
    });
  }

  /** Jobs the pool can hold at once: run this many callers in parallel to keep every core busy. */
  get capacity(): number {
    return this.workers.length * JOBS_PER_WORKER;
  }

  /** Runs one batch on the least busy worker, waiting for room if every queue is full. */
  async run(job: BcryptJob): Promise<BcryptJobResult> {
    for (;;) {
      if (this.closed) throw new Error("the bcrypt pool is closed");
      const worker = this.leastBusy();
      if (worker !== undefined) {
        const broken = this.broken.get(worker);
        if (broken !== undefined) throw broken;
        return new Promise<BcryptJobResult>((resolve, reject) => {
          this.queues.get(worker)?.push({ resolve, reject });
          worker.postMessage(job);
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private leastBusy(): Worker | undefined {
    let best: Worker | undefined;
    let bestLength = JOBS_PER_WORKER;
    for (const worker of this.workers) {
      const length = this.queues.get(worker)?.length ?? 0;
      if (this.broken.has(worker)) return worker; // surfaces the failure instead of waiting on a dead worker
      if (length < bestLength) {
        best = worker;
        bestLength = length;
      }
    }
    return best;
  }

  private fail(worker: Worker, error: Error): void {
    this.broken.set(worker, error);
    for (const job of this.queues.get(worker)?.splice(0) ?? []) job.reject(error);
    this.waiting.shift()?.();
  }
}
