import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { allChecks, findCheck } from "../../src/checks/index.js";
import type { Check } from "../../src/model/check.js";
import { PROJECT_ROOT } from "../helpers/cli.js";

/**
 * Registration that cannot be forgotten, and one naming rule (CONTRIBUTING.md, "Adding a check"): every check
 * module under src/checks is in the registry, and each check lives at src/checks/<area>/<topic>-<name>.ts for
 * its id <topic>/<name>.
 */
const CHECKS_DIR = path.join(PROJECT_ROOT, "src/checks");
/** Topics say what is at risk; these say where hassguard looked, and are not topics. */
const NOT_TOPICS: readonly string[] = ["config", "storage", "network", "instance", "host", "checks", "hassguard"];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

function looksLikeCheck(value: unknown): value is Check {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "string" && typeof v.run === "function" && Array.isArray(v.needs);
}

/** Every exported check of every module under src/checks, with the file that exports it. */
async function exportedChecks(): Promise<{ file: string; check: Check }[]> {
  const files = readdirSync(CHECKS_DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const found: { file: string; check: Check }[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(CHECKS_DIR, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (looksLikeCheck(value)) found.push({ file: file.split(path.sep).join("/"), check: value });
    }
  }
  return found;
}

/** The module path the naming rule gives a check. */
function expectedFile(check: Check): string {
  const [topic, name] = check.id.split("/");
  return `${check.area}/${topic}-${name}.ts`;
}

describe("the check registry", () => {
  it("lists every check module under src/checks, each exactly once", async () => {
    const exported = await exportedChecks();
    const unregistered = exported.filter(({ check }) => !allChecks.includes(check)).map(({ file }) => file);
    expect(unregistered, "check modules missing from src/checks/index.ts").toEqual([]);
    expect(new Set(allChecks).size).toBe(allChecks.length);
    const exportedOnce = new Set(exported.map(({ check }) => check));
    expect(allChecks.filter((check) => !exportedOnce.has(check)).map((c) => c.id)).toEqual([]);
  });

  it("puts each check at src/checks/<area>/<topic>-<name>.ts, one check per module", async () => {
    const exported = await exportedChecks();
    expect(
      exported.filter(({ file, check }) => file !== expectedFile(check)).map((e) => `${e.file}: ${e.check.id}`),
    ).toEqual([]);
    const files = exported.map(({ file }) => file);
    expect(files.filter((file, i) => files.indexOf(file) !== i)).toEqual([]);
  });

  it("gives every check a unique topic/name id, and never reuses an id a renamed check had", () => {
    const ids = allChecks.map((check) => check.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(ID);
      expect(NOT_TOPICS, `${id}: the topic says where hassguard looked`).not.toContain(id.split("/")[0]);
    }
    const former = allChecks.flatMap((check) => check.formerIds);
    expect(new Set(former).size).toBe(former.length);
    expect(former.filter((id) => ids.includes(id))).toEqual([]);
  });

  it("resolves a former id to the check that has it now", () => {
    expect(findCheck("network/ssh-password-auth")?.id).toBe("ssh/password-auth");
    expect(findCheck("network/ha-vulnerable-version")?.id).toBe("version/known-advisories");
    expect(findCheck("storage/private-file-modes")?.id).toBe("secrets/storage-file-modes");
    expect(findCheck("ssh/password-auth")?.id).toBe("ssh/password-auth");
    expect(findCheck("network/no-such-check")).toBeUndefined();
  });
});
