// @ts-check
/**
 * One thread of the bcrypt pool (bcrypt-pool.ts starts it): verifies a batch of candidates against one hash
 * and answers with what it did. It checks the deadline before every hash, so the pool stops within one hash
 * (~0.25 s at cost 12) of the budget. A bcrypt entry point that cannot load fails here, at start-up: the
 * pool sees the worker's error and fails its jobs instead of waiting on them.
 *
 * JavaScript with JSDoc types (checked by tsc through `checkJs`, linted by biome), not TypeScript: a worker
 * thread inherits no loader hooks, and on Node 20 neither `--import tsx` nor `--require tsx/cjs` in its
 * `execArgv` reaches the entry file of an ESM package, so from the TypeScript sources (tests, benchmarks) a
 * `.ts` worker needed a bootstrap string registering tsx in every worker. That bootstrap (esbuild started in
 * each worker) made the pool's first answer take 0.9–1.1 s instead of 0.13–0.3 s on this busy two-core
 * machine, and a 1-second audit budget then tested nothing. This file runs as it is from `src/` and, emitted
 * by the build, from `dist/`; the pool starts it without the parent's `execArgv` (no tsx in the worker).
 */
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

/** @typedef {import("./bcrypt-pool.js").BcryptJob} BcryptJob */
/** @typedef {import("./bcrypt-pool.js").BcryptJobResult} BcryptJobResult */

const { bcryptPath } = /** @type {import("./bcrypt-pool.js").BcryptWorkerData} */ (workerData);
const { verifySync } = /** @type {typeof import("@node-rs/bcrypt")} */ (createRequire(import.meta.url)(bcryptPath));

/**
 * @param {BcryptJob} job
 * @returns {BcryptJobResult}
 */
function verifyBatch(job) {
  const started = performance.now();
  let tested = 0;
  let match = -1;
  for (let i = 0; i < job.candidates.length; i++) {
    if (Date.now() >= job.deadline) break;
    let ok = false;
    try {
      ok = verifySync(job.candidates[i] ?? "", job.hash);
    } catch {
      // a hash @node-rs/bcrypt cannot read matches nothing (audit.ts reports such hashes before this)
      ok = false;
    }
    tested++;
    if (ok) {
      match = i;
      break;
    }
  }
  return { tested, match, ms: performance.now() - started };
}

parentPort?.on("message", (/** @type {BcryptJob} */ job) => parentPort?.postMessage(verifyBatch(job)));
