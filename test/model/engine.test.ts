import { describe, expect, expectTypeOf, it } from "vitest";
import { defineCheck } from "../../src/model/check.js";
import type { ConfigFacts } from "../../src/model/config-facts.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import type { StorageFacts } from "../../src/model/storage-facts.js";

const NOW = new Date("2026-11-23T12:00:00Z");
const config = { files: [] } as unknown as ConfigFacts;
const storage = { files: [] } as unknown as StorageFacts;

const base = {
  title: "Test check",
  severity: "medium" as const,
  area: "config" as const,
  checklist: "secrets" as const,
  description: "A check made for the engine's tests.",
  remediation: "Nothing to do.",
  sources: ["test"],
};

describe("a check's facts", () => {
  it("are narrowed to what it declares: needed kinds present, used kinds optional, others absent", () => {
    const check = defineCheck({
      ...base,
      id: "test/narrowed",
      needs: ["config"],
      uses: ["storage"],
      run(facts) {
        expectTypeOf(facts.config).toEqualTypeOf<ConfigFacts>();
        expectTypeOf(facts.storage).toEqualTypeOf<StorageFacts | undefined>();
        expectTypeOf(facts.now).toEqualTypeOf<Date>();
        // @ts-expect-error: a kind the check did not declare is not there to read
        void facts.network;
        return [{ message: `config files ${facts.config.files.length}, storage ${facts.storage ? "read" : "absent"}` }];
      },
    });
    expect(check.needs).toEqual(["config"]);
    expect(check.uses).toEqual(["storage"]);
    const withStorage = runChecks([check], { config, storage, missing: {}, errors: [], now: NOW });
    expect(withStorage.findings.map((f) => f.message)).toEqual(["config files 0, storage read"]);
    const without = runChecks([check], { config, missing: {}, errors: [], now: NOW });
    expect(without.findings.map((f) => f.message)).toEqual(["config files 0, storage absent"]);
    expect(without.notChecked).toEqual([]);
  });

  it("are not checked, with the source's reason, when a needed kind is missing: run is never called", () => {
    let calls = 0;
    const check = defineCheck({
      ...base,
      id: "test/needs-both",
      needs: ["config", "storage"],
      run() {
        calls++;
        return [{ message: "ran" }];
      },
    });
    const facts: Facts = { config, missing: { storage: "no .storage folder" }, errors: [], now: NOW };
    const run = runChecks([check], facts);
    expect(calls).toBe(0);
    expect(run.findings).toEqual([]);
    expect(run.notChecked).toEqual([{ id: "test/needs-both", reason: "no .storage folder" }]);
    // without a recorded reason the kind itself is named
    expect(runChecks([check], { config, missing: {}, errors: [], now: NOW }).notChecked[0]?.reason).toBe(
      "no storage facts were gathered",
    );
  });

  it("refuse a direct call without a needed kind with a clear error (a test or tool calling run by hand)", () => {
    const check = defineCheck({ ...base, id: "test/direct", needs: ["network"], run: () => [] });
    expect(() => check.run({ missing: {}, errors: [], now: NOW })).toThrow(
      "check test/direct needs network facts, which are missing",
    );
  });

  it("a check that throws becomes an error naming it, and the other checks still run", () => {
    const broken = defineCheck({
      ...base,
      id: "test/broken",
      needs: [],
      run() {
        throw new Error("boom");
      },
    });
    const fine = defineCheck({ ...base, id: "test/fine", needs: [], run: () => [{ message: "fine" }] });
    const run = runChecks([broken, fine], { missing: {}, errors: [], now: NOW });
    expect(run.errors).toEqual([{ source: "checks", message: "check test/broken failed: boom" }]);
    expect(run.findings.map((f) => f.id)).toEqual(["test/fine"]);
  });
});
