import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { checksOf } from "../../../src/checks/index.js";
import type { ConfigFacts } from "../../../src/model/config-facts.js";
import { runChecks } from "../../../src/model/engine.js";
import type { Finding } from "../../../src/model/finding.js";
import { readAdvisories } from "../../../src/sources/advisories.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

const roots: string[] = [];

/** Removes every tree made by this helper (call from afterEach). */
export function cleanTrees(): void {
  for (const root of roots.splice(0)) removeTree(root);
}

export interface TreeOptions {
  /** chmod after writing: `{"secrets.yaml": 0o644}`. */
  modes?: Record<string, number>;
  /** Make the directory a git repository and commit these paths (others stay untracked). */
  gitCommit?: string[];
  /** Lines of a `.gitignore` written before the commit. */
  gitIgnore?: string[];
  /** Let `.gitignore` keep files out of the commit (as `git add .` does); by default listed files are forced in. */
  gitHonoursIgnore?: boolean;
  /** Files written into a copied home before modes and git are applied (a checkout's local secrets.yaml). */
  extraFiles?: Record<string, string>;
}

/** Writes a configuration directory into a fresh temp dir (tracked for cleanup). */
export function writeTree(files: Record<string, string | Buffer>, options: TreeOptions = {}): string {
  const root = makeTree(
    options.gitIgnore ? { ...files, ".gitignore": `${options.gitIgnore.join("\n")}\n` } : files,
    "hassguard-check-",
  );
  roots.push(root);
  prepare(root, options);
  return root;
}

/** Copies an example home into a temp dir, outside this project's own git repository. */
export function copyExample(name: string, options: TreeOptions = {}): string {
  return copyInto(fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url)), name, options);
}

/** Copies a fixture home of test/fixtures/homes (see its README) into a temp dir, like copyExample. */
export function copyHome(name: string, options: TreeOptions = {}): string {
  return copyInto(fileURLToPath(new URL(`../../fixtures/homes/${name}`, import.meta.url)), name, options);
}

function copyInto(source: string, name: string, options: TreeOptions): string {
  const root = mkdtempSync(path.join(tmpdir(), `hassguard-${name}-`));
  roots.push(root);
  cpSync(source, root, { recursive: true });
  for (const [file, content] of Object.entries(options.extraFiles ?? {})) writeFileSync(path.join(root, file), content);
  prepare(root, options);
  return root;
}

function prepare(root: string, options: TreeOptions): void {
  for (const [file, mode] of Object.entries(options.modes ?? {})) chmodSync(path.join(root, file), mode);
  if (options.gitCommit !== undefined) {
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 10_000,
      });
    git("init", "-q");
    if (options.gitCommit.length > 0) {
      git("add", ...(options.gitHonoursIgnore ? [] : ["-f"]), "--", ...options.gitCommit);
      git("commit", "-q", "-m", "fixture");
    }
  }
}

export interface Audit {
  facts: ConfigFacts;
  findings: Finding[];
}

/** Loads the directory with the real loader and runs every config check on it. */
export async function audit(root: string): Promise<Audit> {
  const { facts } = await loadConfig(root, {});
  const { facts: advisories } = await readAdvisories();
  const run = runChecks(checksOf("config"), {
    config: facts,
    ...(advisories === undefined ? {} : { advisories }),
    missing: {},
    errors: [],
    now: new Date("2026-11-23T12:00:00Z"),
  });
  expect(run.errors).toEqual([]);
  return { facts, findings: run.findings };
}

/** Writes the tree and returns the findings of one check. */
export async function findingsOf(
  id: string,
  files: Record<string, string | Buffer>,
  options: TreeOptions = {},
): Promise<Finding[]> {
  const { findings } = await audit(writeTree(files, options));
  return findings.filter((f) => f.id === id);
}

/** The compact shape most assertions compare: severity and `file:line:col`. */
export function brief(findings: Finding[]): { severity: string; at: string }[] {
  return findings.map((f) => ({
    severity: f.severity,
    at:
      f.location && "file" in f.location
        ? [f.location.file, f.location.line, f.location.column].filter((p) => p !== undefined).join(":")
        : "",
  }));
}

/** No secret value appears anywhere in the findings (message, evidence, title, remediation). */
export function expectMasked(findings: Finding[], secrets: string[]): void {
  const text = JSON.stringify(findings);
  for (const secret of secrets) expect(text, `secret ${secret.slice(0, 3)}… leaked`).not.toContain(secret);
}
