import { describe, expect, it } from "vitest";
import { applySuppressions, globMatcher } from "../../src/app/suppressions.js";
import type { Finding, Location } from "../../src/model/finding.js";

const match = (pattern: string, value: string) => globMatcher(pattern)(value);

function finding(id: string, location?: Location): Finding {
  return {
    id,
    severity: "medium",
    title: id,
    message: id,
    ...(location === undefined ? {} : { location }),
    remediation: "",
    checklist: "secrets",
    fixable: false,
    docs: "",
  };
}

describe("suppression globs", () => {
  it("match within and across path segments", () => {
    expect(match("http/*", "http/ip-ban-disabled")).toBe(true);
    expect(match("http/*", "auth/x")).toBe(false);
    expect(match("www/**", "www/a/b/c.yaml")).toBe(true);
    expect(match("www/*", "www/a/b.yaml")).toBe(false);
    expect(match("a.b", "axb")).toBe(false);
    expect(match("packages/*.yaml", "packages/lights.yaml")).toBe(true);
    expect(match("packages/*.yaml", "packages/lights.yml")).toBe(false);
  });

  it("match dotted names like any other (the .storage files, hidden folders)", () => {
    expect(match("**", ".storage/auth")).toBe(true);
    expect(match(".storage/*", ".storage/auth_provider.homeassistant")).toBe(true);
    expect(match("*/auth", ".storage/auth")).toBe(true);
  });

  it("offer a shell's alternatives and classes", () => {
    expect(match("storage/{mfa,tokens}-*", "storage/tokens-never-expire")).toBe(true);
    expect(match("storage/{mfa,tokens}-*", "storage/users-owner")).toBe(false);
    expect(match("http/ip-ban-disable?", "http/ip-ban-disabled")).toBe(true);
  });

  it("never negate: a leading ! is a character, so a suppression cannot hide everything it does not name", () => {
    expect(match("!http/*", "auth/x")).toBe(false);
    expect(match("!http/*", "http/ip-ban-disabled")).toBe(false);
  });
});

describe("applySuppressions", () => {
  it("keeps what no suppression names and lists the rest with the reason", () => {
    const findings = [
      finding("storage/file-mode", { file: ".storage/auth" }),
      finding("storage/file-mode", { file: "secrets.yaml" }),
      finding("network/open-port", { host: "192.0.2.10", port: 8123, protocol: "tcp" }),
    ];
    const { kept, suppressed } = applySuppressions(findings, [
      { id: "storage/*", path: ".storage/**", reason: "accepted" },
      { id: "network/*", path: "192.0.2.10:8123/*", reason: "behind a proxy" },
    ]);
    expect(kept.map((f) => f.location)).toEqual([{ file: "secrets.yaml" }]);
    expect(suppressed.map((s) => s.reason)).toEqual(["accepted", "behind a proxy"]);
  });
});
