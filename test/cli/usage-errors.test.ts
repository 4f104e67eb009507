import { describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/cli.js";

const EXAMPLE = "examples/insecure-home";
/** One line: what is wrong, then where the help of the command in question is. */
const ONE_LINE = /^hassguard: [^\n]+ \(see 'hassguard(?: [a-z]+)* --help'\)\n$/;

describe("usage errors", () => {
  it("are one line naming the mistake and the command's --help, exit 2, nothing on stdout", async () => {
    const cases: Array<[string[], string]> = [
      [[], "hassguard --help"],
      [["frobnicate"], "hassguard --help"],
      [["audit", "--bogus"], "hassguard audit --help"],
      [["audit", EXAMPLE, "--url", "http://127.0.0.1:8123"], "hassguard audit --help"],
      [["audit", "/nonexistent/hassguard-home"], "hassguard audit --help"],
      [["audit", EXAMPLE, "--format", "pdf"], "hassguard audit --help"],
      [["audit", EXAMPLE, "--fail-on", "severe"], "hassguard audit --help"],
      [["audit", EXAMPLE, "--markdown-limit", "12"], "hassguard audit --help"],
      [["scan"], "hassguard scan --help"],
      [["scan", "127.0.0.1", "--ports", "99999"], "hassguard scan --help"],
      [["guard", "unban"], "hassguard guard unban --help"],
      [["checks", "no/such-check"], "hassguard checks --help"],
    ];
    // at once: each run starts a Node process, and a busy machine should not turn this into a timeout
    const results = await Promise.all(cases.map(([args]) => runCliAsync(args)));
    results.forEach((result, i) => {
      const [args, help] = cases[i] ?? [[], ""];
      const label = `hassguard ${args.join(" ")}`;
      expect(result.status, label).toBe(2);
      expect(result.stdout, label).toBe("");
      expect(result.stderr, label).toMatch(ONE_LINE);
      expect(result.stderr, label).toContain(`(see '${help}')`);
    });
  });

  it("show what was typed escaped: a terminal escape in an argument is not obeyed", async () => {
    const result = await runCliAsync(["checks", "x\u001b[2J\u202ey"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(ONE_LINE);
    expect(result.stderr).toContain("x\\x1b[2J\\u202ey");
    expect(result.stderr).not.toContain(String.fromCharCode(0x1b));
    expect(result.stderr).not.toContain("\u202e");
  });

  it("audit --help offers no option that does nothing yet (--url), and offers --markdown-limit", async () => {
    const help = await runCliAsync(["audit", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).not.toContain("--url");
    expect(help.stdout).toContain("--markdown-limit");
  });
});

describe("a long step says so, also when nobody watches a terminal", () => {
  it("the password test announces itself on stderr with its time budget; the report stays alone on stdout", async () => {
    const [tested, skipped] = await Promise.all([
      runCliAsync(["audit", EXAMPLE, "--password-budget", "1", "--format", "json"]),
      runCliAsync(["audit", EXAMPLE, "--password-budget", "0", "--format", "json"]),
    ]);
    // the example is insecure on purpose: exit 1
    expect(tested.status).toBe(1);
    expect(tested.stderr).toBe(
      "hassguard: testing the password of 1 Home Assistant login against weak and home-specific ones, " +
        "for up to 1 s (--password-budget 0 skips this)\n",
    );
    expect(JSON.parse(tested.stdout).schema).toBe("hassguard-report/1");
    expect(skipped.stderr).toBe("");
  });
});
