import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { makeTree, removeTree } from "../helpers/tree.js";

/**
 * The audit must not look clean when it could not look. The rule:
 * - a folder with none of configuration.yaml, .storage and .HA_VERSION is not a Home Assistant configuration
 *   directory: a usage error (exit 2, one line on stderr, no report);
 * - a Home Assistant folder whose configuration.yaml is missing, unreadable, not YAML, not a mapping, or only
 *   partly read: the report is written (the rest was audited), its summary says the audit is incomplete and
 *   gives no score, stderr says it in one line, and the exit code is 2 whatever --fail-on says.
 */
const trees: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const root = makeTree(files, "hassguard-incomplete-");
  trees.push(root);
  return root;
}
afterAll(() => {
  for (const root of trees) removeTree(root);
});

// each case is one real CLI run; a busy two-core machine needs room
const CLI_TIMEOUT = 120_000;

describe("a folder that is not a Home Assistant configuration", () => {
  for (const [name, files] of [
    ["an empty folder", {}],
    ["a folder of other files", { "notes.txt": "hello\n", "docs/a.md": "# a\n" }],
  ] as const) {
    it(
      `${name} is a usage error: exit 2, one line, no report`,
      () => {
        const root = tree(files);
        const result = runCli(["audit", root, "--format", "json", "--fail-on", "none", "--password-budget", "0"]);
        expect(result.status).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr.trim().split("\n")).toEqual([
          `hassguard: ${root} is not a Home Assistant configuration directory (no configuration.yaml, .storage or .HA_VERSION)`,
        ]);
      },
      CLI_TIMEOUT,
    );
  }
});

describe("a Home Assistant folder whose configuration.yaml could not be read", () => {
  const cases: [string, Record<string, string | Buffer>, RegExp][] = [
    ["binary", { "configuration.yaml": Buffer.from([0x68, 0x74, 0x74, 0x70, 0x3a, 0, 1, 2]) }, /binary file/],
    ["too large", { "configuration.yaml": `x: "${"a".repeat(9 * 1024 * 1024)}"\n` }, /file too large/],
    ["nested too deep", { "configuration.yaml": `a:\n  ${"- ".repeat(5000)}x\n` }, /nested deeper than 200/],
    ["not valid UTF-8", { "configuration.yaml": Buffer.from("name: caf\xe9\n", "latin1") }, /not valid UTF-8/],
    ["invalid YAML", { "configuration.yaml": "http:\n  a: [1, 2\nb: 3\n" }, /invalid YAML/],
    ["a list at the top", { "configuration.yaml": "- http\n- api\n" }, /top level is not a mapping/],
    ["a folder", { "configuration.yaml/x.yaml": "a: 1\n", ".HA_VERSION": "2023.11.3\n" }, /is not a file/],
    [
      "missing beside .storage",
      { ".storage/core.config": "{}", ".HA_VERSION": "2023.11.3\n" },
      /no configuration\.yaml/,
    ],
  ];
  for (const [name, files, reason] of cases) {
    it(
      `${name}: exit 2 whatever --fail-on says, the summary says incomplete, no score`,
      () => {
        const root = tree(files);
        const result = runCli(["audit", root, "--format", "json", "--fail-on", "none", "--password-budget", "0"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^hassguard: the audit is incomplete: the main configuration could not be read/m);
        const report = JSON.parse(result.stdout);
        expect(report.summary.incomplete).toEqual([expect.stringMatching(reason)]);
        expect(report.errors[0]).toMatchObject({ file: "configuration.yaml", fatal: true });
        // nothing is claimed about settings it never saw
        expect(report.findings.map((f: { id: string }) => f.id)).not.toContain("http/login-threshold-unset");
      },
      CLI_TIMEOUT,
    );
  }

  it(
    "the text report leads with it instead of a score",
    () => {
      const root = tree({ "configuration.yaml": "- not\n- a mapping\n", ".HA_VERSION": "2023.11.3\n" });
      const result = runCli(["audit", root, "--password-budget", "0"]);
      expect(result.status).toBe(2);
      const lines = result.stdout.split("\n");
      expect(lines[1]).toMatch(/^Audit incomplete, not scored: the main configuration could not be read/);
      expect(result.stdout).not.toMatch(/Score \d+\/100/);
    },
    CLI_TIMEOUT,
  );

  // root reads any file whatever its mode: the unreadable case runs the CLI as `nobody`
  const asNobody = process.getuid?.() === 0 && spawnSync("runuser", ["--help"]).status === 0;
  it.skipIf(!asNobody)(
    "unreadable by the auditing user: exit 2 and says why",
    () => {
      const root = tree({ "configuration.yaml": "http:\n  login_attempts_threshold: 5\n" });
      mkdirSync(path.join(root, ".storage"));
      chmodSync(root, 0o755);
      chmodSync(path.join(root, "configuration.yaml"), 0o000);
      const result = spawnSync(
        "runuser",
        [
          "-u",
          "nobody",
          "--",
          process.execPath,
          "--import",
          "tsx",
          path.join(PROJECT_ROOT, "src/cli/main.ts"),
          "audit",
          root,
          "--format",
          "json",
          "--password-budget",
          "0",
        ],
        { cwd: PROJECT_ROOT, encoding: "utf8", timeout: CLI_TIMEOUT, env: { ...process.env, NO_COLOR: "1" } },
      );
      expect(result.status).toBe(2);
      expect(JSON.parse(result.stdout).summary.incomplete).toEqual([expect.stringMatching(/cannot read file: EACCES/)]);
    },
    CLI_TIMEOUT,
  );
});
