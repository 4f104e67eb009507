import { describe, expect, it } from "vitest";
import { checksOf } from "../../src/checks/index.js";
import { runChecks } from "../../src/model/engine.js";
import { readAdvisories } from "../../src/sources/advisories.js";
import { makeTree, removeTree } from "../helpers/tree.js";

describe("the advisory source", () => {
  it("reads and indexes the shipped data", async () => {
    const read = await readAdvisories();
    expect(read.errors).toEqual([]);
    expect(read.facts?.matchable.length).toBeGreaterThan(0);
  });

  it("says loudly when the data cannot be read, and the version check is then not checked, with the reason", async () => {
    const dir = makeTree({ "broken.json": "[{" });
    try {
      for (const file of [`${dir}/broken.json`, `${dir}/missing.json`]) {
        const read = await readAdvisories(file);
        expect(read.facts).toBeUndefined();
        expect(read.errors).toHaveLength(1);
        expect(read.errors[0]).toMatchObject({ source: "advisories" });
        expect(read.errors[0]?.message).toContain(file);
        const run = runChecks(
          checksOf("config").filter((check) => check.id === "version/known-advisories"),
          { missing: { advisories: read.missingReason }, errors: [], now: new Date(0) },
        );
        expect(run.notChecked).toEqual([{ id: "version/known-advisories", reason: read.missingReason }]);
      }
    } finally {
      removeTree(dir);
    }
  });
});
