import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hashSync } from "@node-rs/bcrypt";
import { afterEach, describe, expect, it } from "vitest";
import { checksOf } from "../../src/checks/index.js";
import type { ConfigFacts } from "../../src/model/config-facts.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import type { Finding } from "../../src/model/finding.js";
import { loadConfig } from "../../src/sources/config/index.js";
import { readStorage } from "../../src/sources/storage/index.js";
import { removeTree } from "../helpers/tree.js";
import { copyFixtureHome, FIXTURE_NOW, readStore, writeStore } from "./fixture-home.js";

const OWNER = "a314953c456d46418ba459e6ebb542fd";
const homes: string[] = [];
afterEach(() => {
  for (const root of homes.splice(0)) removeTree(root);
});
function home(): string {
  const root = copyFixtureHome();
  homes.push(root);
  return root;
}

/**
 * Reads the home like `hassguard audit` does and runs the storage checks. The password audit is off unless a
 * candidate budget is given (per user, with no time limit, so a busy machine cannot change the result).
 */
async function audit(root: string, now = FIXTURE_NOW, config?: ConfigFacts, candidates = 0): Promise<Finding[]> {
  const budget = candidates === 0 ? 0 : Number.POSITIVE_INFINITY;
  const { facts: storage, errors } = await readStorage(root, {
    passwordBudgetSeconds: budget,
    ...(candidates === 0 ? {} : { passwordCandidates: candidates }),
    now,
    ...(config ? { config } : {}),
  });
  const facts: Facts = {
    missing: {},
    errors,
    now,
    ...(storage ? { storage } : {}),
    ...(config ? { config } : {}),
  };
  const run = runChecks(checksOf("storage"), facts);
  expect(run.errors).toEqual([]);
  return run.findings;
}
const ids = (findings: Finding[], id: string) => findings.filter((finding) => finding.id === id);

describe("storage checks on the real 2023.11.3 home", () => {
  it("reports what a careful owner would want to know", async () => {
    const findings = await audit(home());
    const summary = findings.map((finding) => `${finding.severity} ${finding.id}`);
    expect(summary).toEqual([
      "high users/no-mfa",
      "medium users/mfa-not-set-up",
      "low tokens/never-expiring",
      "low tokens/never-expiring",
      "low users/admin-not-local-only",
      "info tokens/long-lived",
      "info users/admins",
      "info users/onboarding-not-finished",
      "info users/weak-password",
    ]);
    expect(ids(findings, "users/no-mfa")[0]?.message).toBe(
      "Test Owner (login testowner), an administrator, logs in with a password only: no authenticator app or notify code is enrolled.",
    );
    expect(ids(findings, "tokens/long-lived")[0]?.message).toBe(
      'long-lived token "audit-token" of Test Owner (login testowner): created today (2026-11-23), last used today (2026-11-23).',
    );
    expect(ids(findings, "users/admins")[0]?.message).toBe(
      "1 administrator: Test Owner (login testowner): owner; can log in from anywhere; no MFA; last used today (2026-11-23)",
    );
    expect(ids(findings, "users/onboarding-not-finished")[0]?.message).toMatch(
      /steps core_config, analytics, integration are not done/,
    );
    expect(ids(findings, "users/weak-password")[0]?.message).toMatch(/did not run: the password budget is 0/);
  });

  it("a home still waiting for its owner is critical", async () => {
    const root = home();
    const onboarding = readStore(root, "onboarding");
    onboarding.data.done = [];
    writeStore(root, "onboarding", onboarding);
    const provider = readStore(root, "auth_provider.homeassistant");
    provider.data.users = [];
    writeStore(root, "auth_provider.homeassistant", provider);
    const auth = readStore(root, "auth");
    auth.data.users = auth.data.users.filter((user: { system_generated: boolean }) => user.system_generated);
    auth.data.credentials = [];
    auth.data.refresh_tokens = auth.data.refresh_tokens.filter(
      (token: { token_type: string }) => token.token_type === "system",
    );
    writeStore(root, "auth", auth);
    const [finding] = ids(await audit(root), "users/onboarding-not-finished");
    expect(finding?.severity).toBe("critical");
    expect(finding?.message).toMatch(/anyone who can reach Home Assistant can create the owner account/);
  });
});

describe("storage checks on derived homes", () => {
  it("MFA enrolment clears users/no-mfa and users/mfa-not-set-up", async () => {
    const root = home();
    writeStore(root, "auth_module.totp", {
      version: 1,
      key: "auth_module.totp",
      data: { users: { [OWNER]: "JBSWY3DPEHPK3PXP" } },
    });
    const findings = await audit(root);
    expect(ids(findings, "users/no-mfa")).toEqual([]);
    expect(ids(findings, "users/mfa-not-set-up")).toEqual([]);
  });

  it("an empty auth_mfa_modules list takes MFA away from everyone", async () => {
    const root = home();
    writeFileSync(path.join(root, "configuration.yaml"), "homeassistant:\n  name: TestHome\n  auth_mfa_modules: []\n");
    const { facts: config } = await loadConfig(root, {});
    const [finding] = ids(await audit(root, FIXTURE_NOW, config), "users/mfa-not-set-up");
    expect(finding?.message).toBe("`auth_mfa_modules` is empty: no user can enable multi-factor authentication.");
    expect(finding?.location).toEqual({ file: "configuration.yaml", line: 3, column: 3 });
  });

  it("flags unused extra admins, inactive users with tokens, stale and public tokens", async () => {
    const root = home();
    const auth = readStore(root, "auth");
    const [, owner] = auth.data.users;
    const [, session, longLived] = auth.data.refresh_tokens;
    const user = (id: string, name: string, extra: object) => ({ ...owner, id, name, is_owner: false, ...extra });
    auth.data.users.push(
      user("b0000000000000000000000000000001", "Old Admin", {}),
      user("b0000000000000000000000000000002", "Gone Guest", { is_active: false, group_ids: ["system-users"] }),
      user("b0000000000000000000000000000003", "Local Admin", { local_only: true }),
    );
    const token = (base: object, extra: object) => ({ ...base, ...extra });
    auth.data.refresh_tokens.push(
      // the old admin last logged in 200 days ago
      token(session, {
        id: "t1",
        user_id: "b0000000000000000000000000000001",
        last_used_at: "2026-05-07T10:00:00+00:00",
        credential_id: null,
      }),
      // the deactivated guest still holds a long-lived token
      token(longLived, { id: "t2", user_id: "b0000000000000000000000000000002", client_name: "old tablet" }),
      // a long-lived token of the owner, unused for a year, last seen from the internet
      token(longLived, {
        id: "t3",
        client_name: "node-red",
        created_at: "2025-06-01T00:00:00+00:00",
        last_used_at: "2025-11-01T00:00:00+00:00",
        last_used_ip: "203.0.113.7",
      }),
      // a 2024+ login session with an expiry, used yesterday from the LAN: nothing to say
      token(session, {
        id: "t4",
        user_id: "b0000000000000000000000000000003",
        expire_at: 1803427200.0,
        last_used_ip: "192.168.1.20",
        last_used_at: "2026-11-22T10:00:00+00:00",
      }),
    );
    writeStore(root, "auth", auth);
    const findings = await audit(root);

    expect(ids(findings, "users/unused-admins").map((f) => f.message)).toEqual([
      "Old Admin is one of 3 administrators and was last used 200 days ago (2026-05-07).",
    ]);
    expect(ids(findings, "users/inactive-with-tokens").map((f) => [f.severity, f.message])).toEqual([
      [
        "low",
        'Gone Guest is deactivated but still has 1 token (long-lived token "old tablet"); reactivating the user revives it.',
      ],
    ]);
    expect(ids(findings, "tokens/unused").map((f) => [f.severity, f.message])).toEqual([
      [
        "medium",
        'long-lived token "node-red" of Test Owner (login testowner) was last used 387 days ago (2025-11-01) (created 540 days ago (2025-06-01)) and still works.',
      ],
      [
        "low",
        "login session of http://127.0.0.1:8123/ of Old Admin was last used 200 days ago (2026-05-07) (created today (2026-11-23)) and still works.",
      ],
    ]);
    expect(ids(findings, "tokens/used-from-public-address").map((f) => [f.severity, f.evidence])).toEqual([
      ["medium", "last_used_ip: 203.0.113.7"],
    ]);
    const notLocal = ids(findings, "users/admin-not-local-only").map((f) => f.location);
    expect(notLocal).toEqual([{ user: "Old Admin" }, { user: "testowner" }]);
    // t4 has an expiry: only the pre-2024 tokens and long-lived ones never expire
    expect(ids(findings, "tokens/never-expiring")).toHaveLength(5);
    expect(ids(findings, "users/admins")[0]?.message).toMatch(/^3 administrators: /);
  });

  it("a token past its expiry is not reported as unused (Home Assistant removes it)", async () => {
    const root = home();
    const auth = readStore(root, "auth");
    auth.data.refresh_tokens[1].expire_at = 1767225600.0; // 2026-01-01
    auth.data.refresh_tokens[1].last_used_at = "2025-10-01T00:00:00+00:00";
    writeStore(root, "auth", auth);
    const findings = await audit(root);
    expect(ids(findings, "tokens/unused")).toEqual([]);
  });

  it("flags auth stores readable by others, by severity", async () => {
    const root = home();
    chmodSync(path.join(root, ".storage", "auth"), 0o644);
    chmodSync(path.join(root, ".storage", "auth_provider.homeassistant"), 0o640);
    writeStore(root, "auth_module.totp", { version: 1, key: "auth_module.totp", data: { users: {} } }, 0o604);
    const findings = ids(await audit(root), "secrets/storage-file-modes");
    expect(findings.map((f) => [f.severity, f.location, f.evidence])).toEqual([
      ["high", { file: ".storage/auth" }, "mode 644"],
      ["high", { file: ".storage/auth_module.totp" }, "mode 604"],
      ["low", { file: ".storage/auth_provider.homeassistant" }, "mode 640"],
    ]);
    expect(findings[0]?.message).toMatch(/can mint an admin token/);
  });

  it("flags trusted_users entries for users and groups that do not exist", async () => {
    const root = home();
    writeFileSync(
      path.join(root, "configuration.yaml"),
      [
        "homeassistant:",
        "  name: TestHome",
        "  auth_providers:",
        "    - type: homeassistant",
        "    - type: trusted_networks",
        "      trusted_networks:",
        "        - 192.168.1.0/24",
        "      trusted_users:",
        "        192.168.1.10:",
        `          - ${OWNER}`,
        "          - 0123456789abcdef0123456789abcdef",
        "        192.168.1.0/24:",
        "          - group: system-users",
        "          - group: system-kiosk",
        "",
      ].join("\n"),
    );
    const { facts: config } = await loadConfig(root, {});
    const findings = ids(await audit(root, FIXTURE_NOW, config), "users/trusted-users-unknown");
    expect(findings.map((f) => [f.message, f.location])).toEqual([
      [
        "trusted_users for 192.168.1.10 names user id 0123456789abcdef0123456789abcdef, which is not a user in .storage/auth.",
        { file: "configuration.yaml", line: 11, column: 13 },
      ],
      [
        "trusted_users for 192.168.1.0/24 names group system-kiosk, which is not a group in .storage/auth.",
        { file: "configuration.yaml", line: 14, column: 13 },
      ],
    ]);
  });

  it("reports a weak password by where it came from, never the password", async () => {
    const root = home();
    // A derived home: the owner's password is the username with this year and `!` (cost 4 keeps it fast).
    const provider = readStore(root, "auth_provider.homeassistant");
    provider.data.users[0].password = Buffer.from(hashSync("Testowner2026!", 4)).toString("base64");
    writeStore(root, "auth_provider.homeassistant", provider);
    const findings = ids(await audit(root, FIXTURE_NOW, undefined, 1000), "users/weak-password");
    expect(findings.map((f) => [f.severity, f.message, f.location])).toEqual([
      ["critical", "The password of testowner (an administrator) is derived from the username.", { user: "testowner" }],
    ]);
    expect(JSON.stringify(findings)).not.toContain("Testowner2026!");
  });

  it("says how much of the list a short budget covered, per user and kind", async () => {
    const findings = ids(await audit(home(), FIXTURE_NOW, undefined, 6), "users/weak-password");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe("info");
    expect(findings[0]?.title).toBe("Password test stopped at its candidate budget");
    expect(findings[0]?.message).toMatch(
      /^The weak-password test stopped at its candidate budget \(6 per user\): it tried 6 candidates in \d+\.\d s on \d cores?, shared equally between users\. Not finished for testowner \(6 tried: [a-zA-Z' ]+ \d+%(, [a-zA-Z' ]+ \d+(\.\d)?%)*\)\./,
    );
  });
});
