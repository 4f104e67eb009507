import { chmodSync } from "node:fs";
import path from "node:path";
import { hashSync } from "@node-rs/bcrypt";
import { afterAll, describe, expect, it } from "vitest";
import { checksOf } from "../../src/checks/index.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import { readStorage } from "../../src/sources/storage/index.js";
import { defaultWordLists } from "../../src/sources/storage/passwords/word-lists.js";
import { removeTree } from "../helpers/tree.js";
import {
  copyFixtureHome,
  FIXTURE_NOW,
  FIXTURE_OWNER_PASSWORD,
  fixtureSecrets,
  readStore,
  writeStore,
} from "./fixture-home.js";

const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const homes: string[] = [];
afterAll(() => {
  for (const root of homes) removeTree(root);
});

/** Everything the storage part of a report can print: findings (all text fields) and source errors. */
async function printable(root: string, budget: number): Promise<string> {
  const { facts: storage, errors } = await readStorage(root, {
    passwordBudgetSeconds: budget,
    now: FIXTURE_NOW,
    wordLists: { ...(await defaultWordLists()), common: ["RigPassw0rd"], homeAssistantWords: [] },
  });
  const facts: Facts = {
    missing: {},
    errors,
    now: FIXTURE_NOW,
    ...(storage ? { storage } : {}),
  };
  const run = runChecks(checksOf("storage"), facts);
  expect(run.findings.length).toBeGreaterThan(0);
  return JSON.stringify({ findings: run.findings, errors: [...errors, ...run.errors] });
}

describe("no token, hash, TOTP secret or password reaches a finding or an error", () => {
  it("on the real fixture with every check firing and the password found", async () => {
    const root = copyFixtureHome();
    homes.push(root);
    // The owner's password, rehashed at cost 4 so the search through the home's own words stays fast.
    const hash4 = hashSync(FIXTURE_OWNER_PASSWORD, 4);
    const weakHash = Buffer.from(hash4).toString("base64");
    const provider = readStore(root, "auth_provider.homeassistant");
    provider.data.users[0].password = weakHash;
    writeStore(root, "auth_provider.homeassistant", provider);
    writeStore(
      root,
      "auth_module.totp",
      { version: 1, key: "auth_module.totp", data: { users: { nobody: TOTP_SECRET } } },
      0o644,
    );
    chmodSync(path.join(root, ".storage", "auth"), 0o644);
    const auth = readStore(root, "auth");
    auth.data.refresh_tokens[2].last_used_ip = "198.51.100.9";
    auth.data.refresh_tokens[2].last_used_at = "2025-01-01T00:00:00+00:00";
    auth.data.users.push({ ...auth.data.users[1], id: "inactive", is_owner: false, is_active: false });
    auth.data.refresh_tokens.push({ ...auth.data.refresh_tokens[2], id: "x", user_id: "inactive" });
    writeStore(root, "auth", auth, 0o644);
    const text = await printable(root, 30);
    expect(text).toContain("is in the common-password list");
    expect(text).toContain("used-from-public-address");
    for (const secret of [...fixtureSecrets(), weakHash, hash4, TOTP_SECRET, FIXTURE_OWNER_PASSWORD]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 16));
    }
  });

  it("on damaged files whose faults sit next to secrets", async () => {
    const root = copyFixtureHome();
    homes.push(root);
    const auth = readStore(root, "auth");
    const token = auth.data.refresh_tokens[1];
    // a token promoted to a field name, a jwt_key where a date belongs, a token type that is a token
    auth.data.users[1][token.token] = true;
    auth.data.refresh_tokens[1].created_at = token.jwt_key;
    auth.data.refresh_tokens[0].token_type = auth.data.refresh_tokens[0].token;
    writeStore(root, "auth", auth);
    const provider = JSON.stringify(readStore(root, "auth_provider.homeassistant"), null, 2);
    writeStore(root, "auth_provider.homeassistant", provider.replace('"password":', '"password"'));
    writeStore(
      root,
      "auth_module.totp",
      `{"version": 1, "key": "auth_module.totp", "data": {"users": {"u": "${TOTP_SECRET}" }`,
    );
    const text = await printable(root, 0);
    expect(text).toContain("not valid JSON");
    expect(text).toContain("unexpected field `");
    for (const secret of [...fixtureSecrets(), TOTP_SECRET]) expect(text).not.toContain(secret.slice(0, 16));
  });
});
