import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { YNode } from "../../../src/model/yaml-node.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { convertYaml } from "../../../src/sources/config/yaml-convert.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

/**
 * Home Assistant reads YAML with PyYAML (libyaml's CSafeLoader first, the pure-Python SafeLoader when that
 * fails: homeassistant/util/yaml/loader.py `parse_yaml`). Each construct below is where the `yaml` package and
 * PyYAML disagreed; the test asks the real PyYAML (Debian's python3-yaml, scripts/apt-packages.txt) what it
 * makes of each and expects the loader to agree: the same value, or both refusing the file.
 */
const CASES: Record<string, string> = {
  // quoted scalars whose continuation lines are less indented than the block (the template idiom)
  templateContinuationLessIndented:
    "sensor:\n  - platform: template\n    value_template: \"{{ states('sensor.a')\n  | float }}\"\n    name: x\n",
  doubleQuotedAtColumnZero: 'a:\n  b: "first\nsecond"\n  c: 1\n',
  singleQuotedAtColumnZero: "a:\n  b: 'it''s\nsecond'\n  c: 1\n",
  quotedInSequenceItem: '- name: "long text\n that continues"\n  x: 1\n',
  quotedThreeLevelsDown: 'a:\n  b:\n    c: "one\n  two\n three\nfour"\n    d: 1\n',
  continuationStartingWithDash: 'a:\n  - b: "x\n- y"\n',
  continuationLookingLikeAKey: 'a:\n  b: "x\nc: y"\n',
  continuationWithHash: 'a:\n  b: "x\n#not a comment\ny"\n',
  tabIndentedContinuation: 'a: "x\n\ty"\n',
  tabIndentedSingleQuoted: "a: 'x\n\ty'\n",
  escapedLineBreak: 'a:\n  b: "one \\\ntwo"\n',
  blankLineInQuoted: 'a:\n  b: "one\n\ntwo"\n',
  crlfContinuation: 'a:\r\n  b: "one\r\ntwo"\r\n',
  // flow collections spanning lines with less indentation
  flowSequenceLessIndented: "a:\n  b: [1,\n2]\n",
  flowMappingLessIndented: "a:\n  b: {x: 1,\ny: 2}\n",
  flowClosingAtColumnZero: "a:\n  - [1,\n  2\n]\n",
  flowWithCommentInside: "a:\n  b: [1, # one\n2]\n",
  // constructs both refuse: the loader must not start accepting them
  documentMarkerInsideQuoted: 'a: "x\n---\ny"\n',
  documentEndInsideQuoted: 'a: "x\n...\ny"\n',
  plainContinuationLessIndented: "a:\n  b: one\n two\n",
  unclosedQuote: 'a: "x\nb: 1\n',
  // plain scalars PyYAML types differently from the `yaml` package
  numbersAndLookalikes:
    "[1e3, 1.0e3, 1.0e+3, 123e4567, 0912, 09, 012, 0_8, 0o7, 1:30, 190:20:30, 1_000.5, ., 12345678901234567890]\n",
};

interface PyResult {
  ok?: unknown;
  error?: string;
}

/** PyYAML's answer for each case, loaded as Home Assistant loads a file. */
function pyyaml(cases: Record<string, string>): Record<string, PyResult> {
  const script = `
import json, sys, yaml
def plain(x):
    if isinstance(x, dict): return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list): return [plain(v) for v in x]
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) > 2**53: return str(x)
    return x
def load(text):
    try: return {"ok": plain(yaml.load(text, Loader=yaml.CSafeLoader))}
    except yaml.YAMLError:
        try: return {"ok": plain(yaml.load(text, Loader=yaml.SafeLoader))}
        except yaml.YAMLError as e: return {"error": str(e).splitlines()[0]}
json.dump({k: load(v) for k, v in json.load(sys.stdin).items()}, sys.stdout)
`;
  const result = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(cases),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`python3 with PyYAML is needed (python3-yaml): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, PyResult>;
}

function plain(node: YNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}

function ours(text: string): PyResult & { problems: string[] } {
  const converted = convertYaml(text, "t.yaml", () => {
    throw new Error("no tags here");
  });
  const problems = converted.problems.map((p) => `${p.line}: ${p.message}`);
  return converted.root === undefined
    ? { error: problems[0] ?? "?", problems }
    : { ok: plain(converted.root), problems };
}

describe("YAML read as Home Assistant's PyYAML reads it", () => {
  const expected = pyyaml(CASES);

  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      const theirs = expected[name] as PyResult;
      const mine = ours(text);
      if (theirs.error !== undefined) {
        expect(mine.ok, `PyYAML refuses it (${theirs.error})`).toBeUndefined();
        expect(mine.problems).toHaveLength(1);
      } else {
        expect(mine.problems).toEqual([]);
        expect(mine.ok).toEqual(theirs.ok);
      }
    });
  }

  it("a file that fails gives one error at its first problem, not one per line after it", () => {
    const lines = ['a: "never closed', ...Array.from({ length: 200 }, (_, i) => `  - item ${i}: "x"`)];
    const mine = ours(`${lines.join("\n")}\n`);
    expect(mine.ok).toBeUndefined();
    expect(mine.problems).toHaveLength(1);
    expect(mine.problems[0]).toMatch(/^1: invalid YAML: .*; file not loaded$/);
  });

  it("a home full of multi-line templates loads without a single error, each value where it was written", async () => {
    const templates = Array.from(
      { length: 300 },
      (_, i) =>
        `  - platform: template\n    sensors:\n      s${i}:\n        value_template: "{{ states('sensor.s${i}')\n  | float(0) }}"\n`,
    );
    const root = makeTree({
      "configuration.yaml": "sensor: !include sensors.yaml\nhttp:\n  login_attempts_threshold: 5\n",
      "sensors.yaml": `${templates.join("").replace(/^ {2}/gm, "")}`,
    });
    try {
      const { facts, errors } = await loadConfig(root);
      expect(errors).toEqual([]);
      const sensors = facts.configuration?.entries.find((e) => e.key === "sensor")?.value;
      expect(sensors?.kind === "seq" && sensors.items.length).toBe(300);
      const last = sensors?.kind === "seq" ? sensors.items[299] : undefined;
      const value = last?.kind === "map" ? last.entries[1]?.value : undefined;
      const template = value?.kind === "map" ? value.entries[0]?.value : undefined;
      const valueTemplate = template?.kind === "map" ? template.entries[0]?.value : undefined;
      expect(valueTemplate).toMatchObject({
        value: "{{ states('sensor.s299') | float(0) }}",
        pos: { file: "sensors.yaml", line: 299 * 5 + 4, column: 23 },
      });
    } finally {
      removeTree(root);
    }
  });

  it("values on a continuation line the loader had to indent keep the line and column they have in the file", () => {
    const converted = convertYaml("a:\n  b: [one,\ntwo, three]\n", "t.yaml", () => {
      throw new Error("no tags here");
    });
    expect(converted.problems).toEqual([]);
    const b = converted.root?.kind === "map" ? converted.root.entries[0]?.value : undefined;
    const items = b?.kind === "map" ? b.entries[0]?.value : undefined;
    expect(items?.kind === "seq" && items.items.map((i) => i.pos)).toEqual([
      { file: "t.yaml", line: 2, column: 7 },
      { file: "t.yaml", line: 3, column: 1 },
      { file: "t.yaml", line: 3, column: 6 },
    ]);
  });

  it("refuses nesting deeper than any configuration needs with one error, without running out of stack", async () => {
    const root = makeTree({
      "configuration.yaml": "deep: !include deep.yaml\nflow: !include flow.yaml\nafter: ok\n",
      "deep.yaml": `a:\n  ${"- ".repeat(5000)}x\n`,
      "flow.yaml": `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    });
    try {
      const { facts, errors } = await loadConfig(root);
      expect(errors.map((e) => `${e.file}: ${e.message}`)).toEqual([
        expect.stringMatching(/^deep\.yaml: nested deeper than 200 levels/),
        expect.stringMatching(/^flow\.yaml: nested deeper than 200 levels/),
      ]);
      expect(facts.configuration?.entries.at(-1)).toMatchObject({ key: "after", value: { value: "ok" } });
    } finally {
      removeTree(root);
    }
  });
});
