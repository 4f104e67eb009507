import { afterEach, describe, expect, it } from "vitest";
import { allChecks } from "../../../src/checks/index.js";
import { runChecks } from "../../../src/model/engine.js";
import type { SourceError } from "../../../src/model/errors.js";
import { getPath, type YNode } from "../../../src/model/yaml-node.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

const roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = makeTree(files);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) removeTree(root);
});

function messages(errors: readonly SourceError[]): string[] {
  return errors.map((e) => `${e.file ?? ""}:${e.line ?? ""} ${e.message}`);
}

describe("merge keys and aliases", () => {
  /**
   * The shape that used to take 1.1 GB and 7 s: 200 anchored mappings, 3,000 mappings that each merge all of
   * them, and the settings that matter after it. Every alias used to copy its anchor's nodes until a budget
   * ran out, then each merge of the rest failed ("merge key needs a mapping") and everything after the budget
   * was read as empty.
   */
  function mergeHeavyHome(): string {
    const lines: string[] = ["anchors:"];
    for (let i = 0; i < 200; i++) lines.push(`  a${i}: &a${i}`, `    key${i}: value${i}`);
    const aliases = Array.from({ length: 200 }, (_, i) => `*a${i}`).join(", ");
    lines.push("lights:");
    for (let j = 0; j < 3000; j++) lines.push(`  l${j}:`, `    <<: [${aliases}]`, `    own: ${j}`);
    lines.push("http:", "  api_password: merge-bomb-survivor-42", "  login_attempts_threshold: 7", "");
    return lines.join("\n");
  }

  // parsing this 4 MB file is the slow part (the yaml package's syntax tree: seconds, and more on a busy
  // machine): one load serves both the reading and the checks, with room for a loaded CI machine
  it("merges 3,000 × 200 aliases exactly, without a false error, and reads and audits what follows", async () => {
    const root = tree({ "configuration.yaml": mergeHeavyHome() });
    const { facts, errors } = await loadConfig(root);
    expect(messages(errors)).toEqual([]);
    const last = getPath(facts.configuration, "lights", "l2999");
    expect(last?.kind === "map" && last.entries.length).toBe(201);
    expect(getPath(last, "key0")).toMatchObject({ value: "value0", pos: { line: 3 } });
    expect(getPath(last, "key199")).toMatchObject({ value: "value199", pos: { line: 401 } });
    expect(getPath(last, "own")).toMatchObject({ value: 2999 });
    expect(getPath(facts.configuration, "http", "api_password")).toMatchObject({ value: "merge-bomb-survivor-42" });
    expect(getPath(facts.configuration, "http", "login_attempts_threshold")).toMatchObject({ value: 7 });
    // aliases share the node they name, as PyYAML's do: 600,000 merged entries are pointers, not copies
    expect(getPath(last, "key5")).toBe(getPath(facts.configuration, "lights", "l0", "key5"));
    expect(getPath(last, "key5")).toBe(getPath(facts.configuration, "anchors", "a5", "key5"));

    const run = runChecks(allChecks, {
      config: facts,
      missing: {},
      errors: [],
      now: new Date(),
    });
    const ids = run.findings.map((f) => f.id);
    expect(ids).toContain("http/legacy-api-password");
    expect(ids).not.toContain("http/login-threshold-unset");
    expect(run.errors).toEqual([]);
  }, 300_000);

  it("still stops an alias bomb, and an alias that contains itself", async () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const root = tree({
      "configuration.yaml": `${levels.join("\n")}\nself: &s\n  me: *s\nafter: ok\n`,
    });
    const { facts, errors } = await loadConfig(root);
    expect(messages(errors)).toEqual([
      expect.stringMatching(/^configuration\.yaml: the main configuration could not be read: only partly read/),
      expect.stringMatching(/^configuration\.yaml:7 alias expansion stopped after 2000000 nodes/),
      "configuration.yaml:14 alias *s refers to a node that contains it; not followed",
    ]);
    expect(errors[0]?.fatal).toBe(true);
    expect(getPath(facts.configuration, "after")).toMatchObject({ value: "ok" });
  });

  it("reports a merge key on something that is not a mapping, and an anchor defined twice", async () => {
    const root = tree({
      "configuration.yaml": "base: &b 5\nx:\n  <<: *b\n  k: 1\ny: &b {a: 1}\nz: *b\n",
    });
    const { facts, errors } = await loadConfig(root);
    expect(messages(errors)).toEqual([
      "configuration.yaml:3 merge key `<<` needs a mapping or a list of mappings: Home Assistant cannot load this file",
      "configuration.yaml:5 anchor &b is defined again (first at line 1): Home Assistant cannot load this file",
    ]);
    // an alias names the latest anchor before it
    expect(getPath(facts.configuration, "z", "a")).toMatchObject({ value: 1 });
  });
});

describe("Home Assistant tags written wrongly: an error with file and line, never silence", () => {
  it("reports list, mapping and empty arguments and unknown tags, in the including file and in included ones", async () => {
    const root = tree({
      "configuration.yaml": [
        "a: !include [a.yaml, b.yaml]",
        "b: !secret [a]",
        "c: !env_var",
        "d: !include",
        "e: !secret",
        "f: !include_dir_named {x: 1}",
        "g: !include_dir_list",
        "h: !include sub.yaml",
        "i: !lambda return 1;",
        "",
      ].join("\n"),
      "a.yaml": "x: 1\n",
      "b.yaml": "y: 2\n",
      "sub.yaml": "ok: 1\nbad: !env_var\n",
      "secrets.yaml": "a: secret-a\n",
    });
    const { facts, errors } = await loadConfig(root);
    // sorted: tag errors are raised while a file converts, syntax ones once it is converted
    expect(messages(errors).sort()).toEqual([
      "configuration.yaml:1 !include needs a path, not a list: Home Assistant cannot load this file",
      "configuration.yaml:2 !secret needs a name, not a list: Home Assistant cannot load this file",
      "configuration.yaml:3 !env_var needs a name: Home Assistant cannot load this file",
      "configuration.yaml:4 !include needs a path: Home Assistant cannot load this file",
      "configuration.yaml:5 !secret needs a name: Home Assistant cannot load this file",
      "configuration.yaml:6 !include_dir_named needs a path, not a mapping: Home Assistant cannot load this file",
      "configuration.yaml:7 !include_dir_list needs a path: Home Assistant cannot load this file",
      "configuration.yaml:9 unknown tag !lambda: Home Assistant cannot load this file (the value is read here anyway)",
      "sub.yaml:2 !env_var needs a name: Home Assistant cannot load this file",
    ]);
    const value = (key: string): YNode | undefined => getPath(facts.configuration, key);
    for (const key of ["a", "b", "c", "d", "e", "f", "g"]) expect(value(key)).toMatchObject({ value: null });
    expect(getPath(facts.configuration, "h", "ok")).toMatchObject({ value: 1 });
    expect(facts.loadedFiles).toEqual(["configuration.yaml", "secrets.yaml", "sub.yaml"]);
    expect(facts.secretReferences).toEqual([]);
  });
});
