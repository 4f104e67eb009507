import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { makeTree, removeTree } from "../helpers/tree.js";
import { copyFixtureHome } from "../storage/fixture-home.js";

// A home with an unmistakable problem: an inline legacy api_password and bans never firing.
const home = makeTree({
  "configuration.yaml": "http:\n  api_password: correct-horse-battery\n  ip_ban_enabled: false\n",
});
const out = makeTree({});
afterAll(() => {
  removeTree(home);
  removeTree(out);
});

describe("hassguard audit", () => {
  it("with one --format and no --output prints only the report on stdout", () => {
    const result = runCli(["audit", home, "--format", "json", "--fail-on", "none"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.schema).toBe("hassguard-report/1");
    expect(report.findings.length).toBeGreaterThan(0);
    expect(result.stdout).not.toContain("correct-horse-battery");
  });

  it("exits 1 when a finding reaches --fail-on, 0 when none does", () => {
    expect(runCli(["audit", home, "--format", "json", "--fail-on", "high"]).status).toBe(1);
    const report = JSON.parse(runCli(["audit", home, "--format", "json", "--fail-on", "none"]).stdout);
    const worst = report.summary.critical > 0 ? "critical" : "high";
    expect(report.summary[worst]).toBeGreaterThan(0);
    expect(runCli(["audit", home, "--ignore", "*/*", "--fail-on", "info"]).status).toBe(0);
  });

  it("exits 2 with one line on stderr for usage errors", () => {
    for (const args of [
      ["audit", "/nonexistent/hassguard-home"],
      ["audit", home, "--format", "pdf"],
      ["audit", home, "--fail-on", "severe"],
      ["audit", home, "--format", "json", "--format", "sarif"],
      ["audit", home, "--password-budget", "-3"],
      ["checks", "no/such-check"],
    ]) {
      const result = runCli(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n").length, result.stderr).toBeLessThanOrEqual(3);
      expect(result.stderr).toMatch(/hassguard: |error: /);
    }
  });

  it("stops the weak-password test after --password-candidates per user, and says so", () => {
    const real = copyFixtureHome();
    try {
      const result = runCli(["audit", real, "--password-candidates", "3", "--format", "json", "--fail-on", "none"]);
      expect(result.status, result.stderr).toBe(0);
      const finding = JSON.parse(result.stdout).findings.find(
        (f: { id: string; title: string }) => f.id === "users/weak-password",
      );
      expect(finding?.title).toBe("Password test stopped at its candidate budget");
      expect(finding?.message).toMatch(
        /\(3 per user\): it tried 3 candidates .* Not finished for testowner \(3 tried: /,
      );
    } finally {
      removeTree(real);
    }
    const refused = runCli(["audit", home, "--password-candidates", "1.5"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--password-candidates takes a count \(0 or more\), not '1\.5'/);
  }, 180_000);

  it("writes several formats into the --output folder", () => {
    const dir = path.join(out, "reports");
    const result = runCli([
      "audit",
      home,
      "-f",
      "json",
      "-f",
      "sarif",
      "-f",
      "markdown",
      "-f",
      "text",
      "-o",
      dir,
      "--fail-on",
      "none",
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    for (const file of ["hassguard.json", "hassguard.sarif", "hassguard.md", "hassguard.txt"]) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
      expect(readFileSync(path.join(dir, file), "utf8")).not.toContain("correct-horse-battery");
    }
  });

  it("honours .hassguard.yaml suppressions that give a reason, and refuses ones that do not", () => {
    const report = JSON.parse(runCli(["audit", home, "--format", "json", "--fail-on", "none"]).stdout);
    const firstId: string = report.findings[0].id;
    writeFileSync(
      path.join(home, ".hassguard.yaml"),
      `ignore:\n  - id: ${firstId}\n    reason: accepted for the test\n`,
    );
    const suppressed = JSON.parse(runCli(["audit", home, "--format", "json", "--fail-on", "none"]).stdout);
    expect(suppressed.findings.some((f: { id: string }) => f.id === firstId)).toBe(false);
    expect(suppressed.suppressed.filter((s: { id: string }) => s.id === firstId)[0].reason).toBe(
      "accepted for the test",
    );

    writeFileSync(path.join(home, ".hassguard.yaml"), `ignore:\n  - id: ${firstId}\n`);
    const refused = runCli(["audit", home, "--format", "json"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("reason");
    writeFileSync(path.join(home, ".hassguard.yaml"), "");
  });

  it("lists the check catalogue and explains one check", () => {
    const list = runCli(["checks", "--format", "json"]);
    expect(list.status).toBe(0);
    const checks = JSON.parse(list.stdout) as { id: string }[];
    expect(checks.length).toBeGreaterThan(0);
    const one = runCli(["checks", checks[0]?.id ?? ""]);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain("Fix:");
  });
});

describe("output to a pipe that closes early", () => {
  it("ends quietly, without an EPIPE stack trace", () => {
    const cli = `${JSON.stringify(process.execPath)} --import tsx src/cli/main.ts`;
    const result = spawnSync("bash", ["-c", `set -o pipefail; ${cli} checks | head -n 1`], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.status).toBe(0);
  });
});
