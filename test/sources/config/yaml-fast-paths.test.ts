import { afterEach, describe, expect, it } from "vitest";
import type { YNode } from "../../../src/model/yaml-node.js";
import { withCheapDebugSwitches } from "../../../src/sources/config/env-shield.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { convertYaml } from "../../../src/sources/config/yaml-convert.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

// The loader's speed-ups (a shortcut for plain words in the scalar typing, a cheaper process.env while the
// parser runs, reusing the inventory's text) must not change what a file means. These pin the meaning.

function values(yaml: string): unknown[] {
  const converted = convertYaml(yaml, "t.yaml", () => {
    throw new Error("no tags here");
  });
  expect(converted.problems).toEqual([]);
  const root = converted.root as YNode;
  if (root.kind !== "seq") throw new Error("expected a sequence");
  return root.items.map((item) => (item.kind === "scalar" ? item.value : item.kind));
}

describe("plain scalar types (PyYAML SafeLoader, YAML 1.1)", () => {
  it("keeps words that start with a letter as strings, except the null and boolean spellings", () => {
    const words = ["word", "light.kitchen", "turn_on", "y", "n", "Y", "N", "nULL", "Yes_please", "ONE", "x1", "e5"];
    expect(values(`[${words.join(", ")}]`)).toEqual(words);
    expect(values("[null, Null, NULL, ~, '']")).toEqual([null, null, null, null, ""]);
    const yes = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    const no = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    expect(values(`[${yes.join(", ")}]`)).toEqual(yes.map(() => true));
    expect(values(`[${no.join(", ")}]`)).toEqual(no.map(() => false));
    expect(values("[yEs, oN, tRUE, nO]")).toEqual(["yEs", "oN", "tRUE", "nO"]);
  });

  it("still types numbers, sexagesimals, special floats and timestamps, and honours quotes and explicit tags", () => {
    // PyYAML's float needs a dot and a signed exponent: `1e3` stays a string (yaml-schema.ts)
    expect(values("[0x1f, 017, 0b101, 1_000, 1:30, .5, 1e3, 1.0e+3, +.inf, -.Inf]")).toEqual([
      31,
      15,
      5,
      1000,
      90,
      0.5,
      "1e3",
      1000,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(values("[.nan]")[0]).toBeNaN();
    expect(values("[2001-12-14]")).toEqual(["2001-12-14T00:00:00.000Z"]);
    expect(values(`["yes", 'Null', !!str on, !!str 12, !!bool yes, !!int "7"]`)).toEqual([
      "yes",
      "Null",
      "on",
      "12",
      true,
      7,
    ]);
  });

  it("reads keys the same way: words stay words, booleans become their text", () => {
    const converted = convertYaml("platform: a\nOn: b\nnull: c\ny: d\n", "t.yaml", () => {
      throw new Error("no tags here");
    });
    const root = converted.root;
    expect(root?.kind === "map" ? root.entries.map((entry) => entry.key) : []).toEqual([
      "platform",
      "true",
      "null",
      "y",
    ]);
  });
});

describe("process.env while the parser runs", () => {
  const saved = process.env.HASSGUARD_SHIELD_TEST;
  afterEach(() => {
    if (saved === undefined) delete process.env.HASSGUARD_SHIELD_TEST;
    else process.env.HASSGUARD_SHIELD_TEST = saved;
  });

  it("still shows every variable, and the real process.env is back afterwards, also after a throw", () => {
    const live = process.env;
    process.env.HASSGUARD_SHIELD_TEST = "visible";
    const seen = withCheapDebugSwitches(() => ({
      value: process.env.HASSGUARD_SHIELD_TEST,
      swapped: process.env !== live,
      tokens: process.env.LOG_TOKENS,
    }));
    expect(seen).toEqual({ value: "visible", swapped: true, tokens: live.LOG_TOKENS });
    expect(process.env).toBe(live);
    expect(() =>
      withCheapDebugSwitches(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(process.env).toBe(live);
  });

  it("resolves !env_var from the real environment", async () => {
    process.env.HASSGUARD_SHIELD_TEST = "from-env";
    const root = makeTree({ "configuration.yaml": "a: !env_var HASSGUARD_SHIELD_TEST\n" });
    try {
      const { facts } = await loadConfig(root);
      const entry = facts.configuration?.entries[0];
      expect(entry?.value.kind === "scalar" ? entry.value.value : undefined).toBe("from-env");
    } finally {
      removeTree(root);
    }
  });
});

describe("files the inventory already read", () => {
  it("are loaded with the same checks as files read from disk: binary, non-UTF-8 and oversized ones are refused", async () => {
    const root = makeTree({
      "configuration.yaml": "a: !include text.yaml\nb: !include bin.yaml\nc: !include latin1.yaml\n",
      "text.yaml": "\ufeffkey: value\n",
      "bin.yaml": Buffer.from([0x61, 0x3a, 0x00, 0x0a]),
      "latin1.yaml": Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
    });
    try {
      const { facts, errors } = await loadConfig(root);
      const a = facts.configuration?.entries[0]?.value;
      expect(a?.kind === "map" ? a.entries.map((entry) => [entry.key, entry.keyPos.column]) : []).toEqual([["key", 1]]);
      expect(errors.map((error) => `${error.file}: ${error.message}`)).toEqual(
        expect.arrayContaining([
          "bin.yaml: binary file where YAML was expected; not loaded",
          "latin1.yaml: not valid UTF-8; not loaded",
        ]),
      );
    } finally {
      removeTree(root);
    }
  });
});
