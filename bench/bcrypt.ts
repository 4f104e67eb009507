// Weak-password audit speed: candidates per second of hassguard's audit against raw @node-rs/bcrypt on every
// core, measured in the same run on the same cost-12 hash, and the audit time of a generated 50-user home.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { hash } from "@node-rs/bcrypt";
import { checksOf } from "../src/checks/index.js";
import { runChecks } from "../src/model/engine.js";
import { readStorage } from "../src/sources/storage/index.js";
import { runPasswordAudit } from "../src/sources/storage/passwords/audit.js";
import { userCandidates } from "../src/sources/storage/passwords/candidates.js";
import { defaultWordLists } from "../src/sources/storage/passwords/word-lists.js";

/** The real Home Assistant 2023.11.3 hash of the recorded fixture (cost 12); its password is not in the list. */
const FIXTURE_HASH_BASE64 = "JDJiJDEyJHFvVldFd3JmbGlzcjExdWVzTjdpb080LmtrQkozQWNLdUd2QlJXTUxxLkxNNjNWQmdsajR5";
const SECONDS_PER_RUN = 5;
const ROUNDS = 3;

/** Raw speed: one worker per core calling verifySync in a tight loop, nothing else. */
const RAW_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { verifySync } = require(workerData.bcryptPath);
parentPort.postMessage({ ready: true });
parentPort.once("message", ({ until }) => {
  let count = 0;
  while (Date.now() < until) { verifySync("not-the-password-" + count, workerData.hash); count++; }
  parentPort.postMessage({ count });
});
`;

export async function rawCandidatesPerSecond(seconds: number, workers: number): Promise<number> {
  const bcryptPath = createRequire(import.meta.url).resolve("@node-rs/bcrypt");
  const hashText = Buffer.from(FIXTURE_HASH_BASE64, "base64").toString("latin1");
  const pool = Array.from(
    { length: workers },
    () => new Worker(RAW_WORKER, { eval: true, workerData: { bcryptPath, hash: hashText } }),
  );
  await Promise.all(pool.map((worker) => new Promise((resolve) => worker.once("message", resolve))));
  const started = Date.now();
  const until = started + seconds * 1000;
  const counts = await Promise.all(
    pool.map(
      (worker) =>
        new Promise<number>((resolve) => {
          worker.once("message", (message: { count: number }) => resolve(message.count));
          worker.postMessage({ until });
        }),
    ),
  );
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(pool.map((worker) => worker.terminate()));
  return counts.reduce((a, b) => a + b, 0) / elapsed;
}

async function auditCandidatesPerSecond(seconds: number, workers: number): Promise<number> {
  const lists = await defaultWordLists();
  const home = { homeNames: ["TestHome"], cities: ["Amsterdam"], houseNumbers: [], userNames: ["Test Owner"] };
  const audit = await runPasswordAudit(
    [
      {
        username: "testowner",
        passwordBase64: FIXTURE_HASH_BASE64,
        candidates: () =>
          userCandidates(
            { username: "testowner", names: ["Test Owner"] },
            home,
            lists,
            new Date("2026-11-23T18:00:00Z"),
          ),
      },
    ],
    { budgetSeconds: seconds, workers },
  );
  return audit.tested / (audit.elapsedMs / 1000);
}

/** A home with `users` people (cost-12 hashes, as Home Assistant writes them) and `tokens` refresh tokens. */
async function generatedHome(users: number, tokens: number): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), "hassguard-bench-storage-"));
  mkdirSync(path.join(root, ".storage"));
  const hex = (n: number, width = 32) => n.toString(16).padStart(width, "0");
  const people = Array.from({ length: users }, (_, i) => ({
    id: hex(i + 1),
    username: `person${i}`,
    name: `Person ${i}`,
  }));
  const now = Date.parse("2026-11-23T18:00:00Z");
  const store = (key: string, version: number, data: unknown) =>
    writeFileSync(path.join(root, ".storage", key), JSON.stringify({ version, minor_version: 1, key, data }), {
      mode: 0o600,
    });
  store("auth", 1, {
    users: people.map((p, i) => ({
      id: p.id,
      group_ids: [i < 3 ? "system-admin" : "system-users"],
      is_owner: i === 0,
      is_active: i % 10 !== 9,
      name: p.name,
      system_generated: false,
      local_only: i % 2 === 0,
    })),
    groups: [
      { id: "system-admin", name: "Administrators" },
      { id: "system-users", name: "Users" },
    ],
    credentials: people.map((p) => ({
      id: `c${p.id}`,
      user_id: p.id,
      auth_provider_type: "homeassistant",
      auth_provider_id: null,
      data: { username: p.username },
    })),
    refresh_tokens: Array.from({ length: tokens }, (_, i) => ({
      id: hex(i, 32),
      user_id: people[i % users]?.id,
      client_id: i % 5 === 0 ? null : "https://ha.example/",
      client_name: i % 5 === 0 ? `token ${i}` : null,
      client_icon: null,
      token_type: i % 5 === 0 ? "long_lived_access_token" : "normal",
      created_at: new Date(now - i * 86_400_000).toISOString(),
      access_token_expiration: i % 5 === 0 ? 315360000.0 : 1800.0,
      token: hex(i, 128),
      jwt_key: hex(i + 1, 128),
      last_used_at: new Date(now - i * 3_600_000).toISOString(),
      last_used_ip: i % 7 === 0 ? `203.0.113.${i % 250}` : `192.168.1.${i % 250}`,
      expire_at: i % 5 === 0 ? null : now / 1000 + 86_400 * 30,
      credential_id: null,
      version: "2026.1.0",
    })),
  });
  const hashes = await Promise.all(people.map((p) => hash(`a long passphrase for ${p.username} nobody guesses`, 12)));
  store("auth_provider.homeassistant", 1, {
    users: people.map((p, i) => ({ username: p.username, password: Buffer.from(hashes[i] ?? "").toString("base64") })),
  });
  store("onboarding", 4, { done: ["user", "core_config", "analytics", "integration"] });
  store("person", 2, {
    items: people.map((p) => ({ id: p.username, name: p.name, user_id: p.id, device_trackers: [] })),
  });
  return root;
}

export async function benchBcrypt(): Promise<string[]> {
  const workers = availableParallelism();
  const load = loadavg()[0] ?? 0;
  let raw = 0;
  let audited = 0;
  const perRound: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const r = await rawCandidatesPerSecond(SECONDS_PER_RUN, workers);
    const a = await auditCandidatesPerSecond(SECONDS_PER_RUN, workers);
    perRound.push((a / r).toFixed(2));
    raw += r;
    audited += a;
  }
  raw /= ROUNDS;
  audited /= ROUNDS;
  const lines = [
    `bcrypt cost 12 on ${workers} core${workers === 1 ? "" : "s"}, ${ROUNDS} rounds of ${SECONDS_PER_RUN} s raw then ${SECONDS_PER_RUN} s audit (load average ${load.toFixed(1)} at start):`,
    `  raw @node-rs/bcrypt verifySync, one worker per core: ${raw.toFixed(2)} candidates/s`,
    `  hassguard password audit (generator, scheduler, worker pool): ${audited.toFixed(2)} candidates/s`,
    `  ratio audit/raw: ${(audited / raw).toFixed(3)} (aim ≥ 0.9; per round ${perRound.join(", ")})`,
  ];

  const root = await generatedHome(50, 500);
  try {
    const now = new Date("2026-11-23T18:00:00Z");
    let started = performance.now();
    const parsed = await readStorage(root, { passwordBudgetSeconds: 0, now });
    const readMs = performance.now() - started;
    started = performance.now();
    const run = runChecks(checksOf("storage"), {
      storage: parsed.facts,
      missing: {},
      errors: [],
      now,
    });
    const checksMs = performance.now() - started;
    const budget = 10;
    started = performance.now();
    const withPasswords = await readStorage(root, { passwordBudgetSeconds: budget, now });
    const fullMs = performance.now() - started;
    const pa = withPasswords.facts?.passwordAudit;
    lines.push(
      "generated home: 50 users (cost-12 hashes), 500 refresh tokens",
      `  read .storage, password test off: ${readMs.toFixed(1)} ms; all ${checksOf("storage").length} storage checks: ${checksMs.toFixed(1)} ms (${run.findings.length} findings)`,
      `  read .storage with --password-budget ${budget}: ${(fullMs / 1000).toFixed(2)} s total; tested ${pa?.tested ?? 0} of ${pa?.planned ?? 0} candidates in ${((pa?.elapsedMs ?? 0) / 1000).toFixed(2)} s of hashing`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return lines;
}

// Run directly: `node --import tsx bench/bcrypt.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchBcrypt()) process.stdout.write(`${line}\n`);
}
