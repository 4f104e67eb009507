import { describe, expect, it } from "vitest";
import { unmatchedAdvisoriesSentence } from "../../src/checks/config/version-known-advisories.js";
import { publicFilesSentence } from "../../src/checks/config/www-public-files.js";
import { topicsSentence } from "../../src/checks/network/mqtt-topics-leak.js";
import { expiresIn } from "../../src/checks/network/tls-cert-expired.js";
import { noMfaSentence } from "../../src/checks/storage/users-mfa-not-set-up.js";
import { pendingStepsSentence } from "../../src/checks/storage/users-onboarding-not-finished.js";
import { amongAdmins } from "../../src/checks/storage/users-unused-admins.js";
import { count } from "../../src/model/words.js";
import { render } from "../../src/report/index.js";
import { renderNetworkTable } from "../../src/report/network-table.js";
import { buildReport } from "../../src/report/report.js";
import { FieldReader } from "../../src/sources/storage/fields.js";

/**
 * Every sentence with a number in it, read at 0, 1 and many (the count-bearing templates of the reporters
 * and of the check messages, found with a grep for `${...}` next to a count). The expected strings are
 * written out: "1 users", "file(s)" or "None of the 1 user" fail here.
 */
describe("sentences with counts read right at 0, 1 and many", () => {
  it("counted nouns", () => {
    expect([0, 1, 7].map((n) => count(n, "user"))).toEqual(["0 users", "1 user", "7 users"]);
    expect([0, 1, 2].map((n) => count(n, "advisory", "advisories"))).toEqual([
      "0 advisories",
      "1 advisory",
      "2 advisories",
    ]);
  });

  it("users/mfa-not-set-up", () => {
    expect(noMfaSentence(0)).toBe("No user logs in with a password, so none needs a multi-factor module");
    expect(noMfaSentence(1)).toBe("The one user who logs in with a password has not enrolled in a multi-factor module");
    expect(noMfaSentence(4)).toBe(
      "None of the 4 users who log in with a password has enrolled in a multi-factor module",
    );
  });

  it("users/onboarding-not-finished (owner already created)", () => {
    expect(pendingStepsSentence(["analytics"])).toBe(
      "The owner exists, but onboarding step analytics is not done; only the owner can finish it.",
    );
    expect(pendingStepsSentence(["core_config", "analytics"])).toBe(
      "The owner exists, but onboarding steps core_config, analytics are not done; only the owner can finish them.",
    );
  });

  it("users/unused-admin", () => {
    expect([0, 1, 3].map(amongAdmins)).toEqual([
      "the only administrator",
      "the only administrator",
      "one of 3 administrators",
    ]);
  });

  it("www/public-files", () => {
    expect(publicFilesSentence([])).toBe("0 files in www/ are public without login.");
    expect(publicFilesSentence(["/local/a.js"])).toBe("1 file in www/ is public without login: /local/a.js.");
    expect(publicFilesSentence(["/local/a.js", "/local/b.png"])).toBe(
      "2 files in www/ are public without login: /local/a.js, /local/b.png.",
    );
    const many = Array.from({ length: 52 }, (_, i) => `/local/${i}`);
    expect(publicFilesSentence(many)).toMatch(/^52 files in www\/ are public without login: .* and 2 more\.$/);
  });

  it("version/known-advisories (advisories matched by hand)", () => {
    expect(unmatchedAdvisoriesSentence([], "2023.11.3")).toBe(
      "0 Home Assistant advisories in hassguard's data give no machine-readable affected range and were not " +
        "matched against 2023.11.3. Check them by hand at https://github.com/home-assistant/core/security.",
    );
    expect(unmatchedAdvisoriesSentence(["GHSA-1"], "2023.11.3")).toBe(
      "1 Home Assistant advisory in hassguard's data gives no machine-readable affected range and was not " +
        "matched against 2023.11.3: GHSA-1. Check it by hand at https://github.com/home-assistant/core/security.",
    );
    expect(unmatchedAdvisoriesSentence(["GHSA-1", "GHSA-2"], "2023.11.3")).toMatch(
      /^2 Home Assistant advisories in hassguard's data give .* and were not matched .*: GHSA-1, GHSA-2\. Check them /,
    );
  });

  it("network/mqtt-topics-leak", () => {
    expect(topicsSentence(0, 0)).toBe("0 topics (broker internals).");
    expect(topicsSentence(1, 0)).toBe("1 topic (broker internals).");
    expect(topicsSentence(1, 1)).toBe("1 topic, a Home Assistant discovery topic describing the home's devices.");
    expect(topicsSentence(5, 1)).toBe(
      "5 topics, 1 of them a Home Assistant discovery topic describing the home's devices.",
    );
    expect(topicsSentence(5, 3)).toBe(
      "5 topics, 3 of them Home Assistant discovery topics describing the home's devices.",
    );
    expect(topicsSentence(3, 3)).toBe(
      "3 topics, all of them Home Assistant discovery topics describing the home's devices.",
    );
  });

  it("network/tls-cert-expired (expiring soon)", () => {
    expect([0, 1, 12].map(expiresIn)).toEqual(["expires within a day", "expires in 1 day", "expires in 12 days"]);
  });

  it("problems summarised from a .storage file", () => {
    const summary = (problems: number, unknown: number) => {
      const reader = new FieldReader();
      for (let i = 0; i < problems; i++) reader.problems.push(`problem ${i}`);
      for (let i = 0; i < unknown; i++) reader.unknownFields.set(`f${i}`, "entry 0");
      return reader.summary(2);
    };
    expect(summary(0, 0)).toEqual([]);
    expect(summary(3, 0)).toEqual(["problem 0", "problem 1", "1 more problem of the same kind"]);
    expect(summary(5, 0).at(-1)).toBe("3 more problems of the same kind");
    expect(summary(0, 1)).toEqual([
      "unexpected field `f0` (entry 0): written by another Home Assistant version? It was ignored",
    ]);
    expect(summary(0, 2)[0]).toMatch(/^unexpected fields `f0` \(entry 0\), `f1` \(entry 0\): .* They were ignored$/);
  });

  it("the text and Markdown reports: a perfect score has nothing to work on; counts of what was left out", () => {
    const report = (severities: Array<"info" | "low">) =>
      buildReport({
        version: "1",
        targets: { config: "/c", host: null, url: null },
        startedAt: new Date(0),
        durationMs: 0,
        findings: severities.map((severity, i) => ({
          id: "test/x",
          severity,
          title: "X",
          message: `m${i}`,
          remediation: "r",
          checklist: "users",
          fixable: false,
          docs: "docs/checks/test/x.md",
        })),
        notChecked: [],
        errors: [],
        suppressed: [],
      });
    for (const severities of [[], ["info"], ["info", "info"]] as const) {
      const perfect = report([...severities]);
      expect(perfect.summary.score).toBe(100);
      expect(render("text", perfect, { color: false })).not.toContain("Checklist items to work on");
    }
    expect(render("text", report(["low"]), { color: false })).toContain(
      "Checklist items to work on: Few administrators, no forgotten accounts",
    );
    const table = (open: number, maxRows: number) =>
      renderNetworkTable(
        {
          hosts: [
            {
              address: "127.0.0.1",
              ports: Array.from({ length: open }, (_, i) => ({
                port: 1000 + i,
                protocol: "tcp" as const,
                state: "open" as const,
              })),
            },
          ],
        },
        { maxRows },
      ).text;
    expect(table(1, 10)).toContain("127.0.0.1: 1 open, 0 closed, 0 filtered");
    expect(table(0, 10)).toContain("127.0.0.1: 0 open, 0 closed, 0 filtered");
    expect(table(11, 10)).toContain("(1 more open port not listed here)");
    expect(table(30, 10)).toContain("(20 more open ports not listed here)");
  });
});
