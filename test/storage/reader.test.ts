import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/sources/config/index.js";
import { readStorage } from "../../src/sources/storage/index.js";
import { homeWords } from "../../src/sources/storage/passwords/home-words.js";
import { makeTree, removeTree } from "../helpers/tree.js";
import { copyFixtureHome, FIXTURE_NOW, readStore, writeStore } from "./fixture-home.js";

/** The reader without the password audit (budget 0): these tests are about parsing. */
const options = { passwordBudgetSeconds: 0, now: FIXTURE_NOW };
const homes: string[] = [];
function home(): string {
  const root = copyFixtureHome();
  homes.push(root);
  return root;
}
afterEach(() => {
  for (const root of homes.splice(0)) removeTree(root);
});

describe("readStorage on the real Home Assistant 2023.11.3 files", () => {
  it("reads users, groups, credentials, tokens, persons and onboarding", async () => {
    const { facts, errors } = await readStorage(home(), options);
    expect(errors).toEqual([]);
    const auth = facts?.auth;
    expect(auth?.users.map((user) => [user.name, user.isAdmin, user.systemGenerated])).toEqual([
      ["Home Assistant Content", false, true],
      ["Test Owner", true, false],
    ]);
    const owner = auth?.users[1];
    expect(owner?.isOwner).toBe(true);
    expect(owner?.usernames).toEqual(["testowner"]);
    expect(owner?.credentialTypes).toEqual(["homeassistant"]);
    expect(owner?.personName).toBe("Test Owner");
    expect(owner?.mfaModules).toEqual([]);
    expect(auth?.groups.map((group) => group.id)).toEqual(["system-admin", "system-users", "system-read-only"]);
    expect(auth?.refreshTokens.map((token) => [token.tokenType, token.clientName, token.lastUsedIp])).toEqual([
      ["system", null, null],
      ["normal", null, "127.0.0.1"],
      ["long_lived_access_token", "audit-token", null],
    ]);
    // 2023.11.3 wrote no expire_at: every token is non-expiring.
    expect(auth?.refreshTokens.every((token) => token.expireAt === null)).toBe(true);
    expect(auth?.refreshTokens[2]?.accessTokenExpirationSeconds).toBe(315360000);
    expect(auth?.refreshTokens[2]?.createdAt?.toISOString()).toBe("2026-11-23T17:18:31.449Z");
    expect(facts?.providerUsernames).toEqual(["testowner"]);
    expect(facts?.onboarding).toEqual({ done: ["user"], pending: ["core_config", "analytics", "integration"] });
    expect(facts?.mfaStores).toEqual({ totp: false, notify: false });
    expect(facts?.files.find((file) => file.name === "auth")).toMatchObject({
      path: ".storage/auth",
      mode: 0o600,
      version: 1,
    });
    expect(facts?.files.find((file) => file.name === "onboarding")?.version).toBe(4);
  });

  it("keeps no token, jwt_key or hash in the facts", async () => {
    const root = home();
    const { facts } = await readStorage(root, options);
    const text = JSON.stringify(facts);
    for (const token of readStore(root, "auth").data.refresh_tokens) {
      expect(text).not.toContain(token.token);
      expect(text).not.toContain(token.jwt_key);
    }
    expect(text).not.toContain(readStore(root, "auth_provider.homeassistant").data.users[0].password);
    expect(text).not.toMatch(/"(token|jwt_key|password)"/);
  });

  it("reports the real file modes", async () => {
    const root = home();
    chmodSync(path.join(root, ".storage", "auth"), 0o644);
    const { facts } = await readStorage(root, options);
    expect(facts?.files.find((file) => file.name === "auth")?.mode).toBe(0o644);
    expect(facts?.files.find((file) => file.name === "person")?.mode).toBe(0o600);
  });

  it("links MFA enrolment from auth_module.totp and auth_module.notify", async () => {
    const root = home();
    const owner = "a314953c456d46418ba459e6ebb542fd";
    writeStore(root, "auth_module.totp", {
      version: 1,
      key: "auth_module.totp",
      data: { users: { [owner]: "JBSWY3DPEHPK3PXP" } },
    });
    writeStore(root, "auth_module.notify", {
      version: 1,
      key: "auth_module.notify",
      data: { users: { [owner]: { notify_service: "mobile_app_phone", target: null } } },
    });
    const { facts, errors } = await readStorage(root, options);
    expect(errors).toEqual([]);
    expect(facts?.mfaStores).toEqual({ totp: true, notify: true });
    expect(facts?.auth?.users.find((user) => user.id === owner)?.mfaModules).toEqual(["totp", "notify"]);
    expect(JSON.stringify(facts)).not.toContain("JBSWY3DPEHPK3PXP");
  });

  it("follows Home Assistant's loading rules for old tokens", async () => {
    const root = home();
    const auth = readStore(root, "auth");
    const [system, normal, longLived] = auth.data.refresh_tokens;
    delete system.token_type; // no client: loads as system
    delete normal.token_type; // a client: loads as normal
    delete longLived.jwt_key; // written before 0.76: dropped
    normal.expire_at = 1798761600.0;
    writeStore(root, "auth", auth);
    const { facts } = await readStorage(root, options);
    expect(facts?.auth?.refreshTokens.map((token) => token.tokenType)).toEqual(["system", "normal"]);
    expect(facts?.auth?.refreshTokens[1]?.expireAt?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("reads core.config and takes the home's words from it and from configuration.yaml", async () => {
    const root = home();
    writeStore(root, "core.config", {
      version: 1,
      minor_version: 3,
      key: "core.config",
      data: {
        latitude: 52.37,
        longitude: 4.89,
        location_name: "Casa Nostra 7",
        time_zone: "America/New_York",
        country: "NL",
      },
    });
    const { facts: config } = await loadConfig(root, {});
    const { facts, errors } = await readStorage(root, { ...options, config });
    expect(errors).toEqual([]);
    expect(facts?.coreConfig).toEqual({ locationName: "Casa Nostra 7", timeZone: "America/New_York", country: "NL" });
    const words = homeWords(facts?.auth, facts?.persons ?? [], facts?.coreConfig, config);
    // configuration.yaml says `name: TestHome`, `time_zone: UTC` (no city); the store adds its own, and its
    // name is an address: the street and the house number are words of their own
    expect(words).toEqual({
      homeNames: ["Casa Nostra", "TestHome"],
      cities: ["New York"],
      houseNumbers: ["7"],
      userNames: ["Test Owner", "testowner"],
    });
  });

  it("without a .storage folder, says why there are no facts", async () => {
    const root = makeTree({ "configuration.yaml": "homeassistant:\n" });
    homes.push(root);
    const result = await readStorage(root, options);
    expect(result.facts).toBeUndefined();
    expect(result.missingReason).toMatch(/no `\.storage` folder/);
  });
});

describe("readStorage on damaged files", () => {
  it("reports truncated JSON with the file and where, and reads the rest", async () => {
    const root = home();
    writeStore(root, "auth", '{\n  "version": 1,\n  "key": "auth",\n  "data": {"users": [');
    const { facts, errors } = await readStorage(root, options);
    expect(errors).toEqual([
      { source: "storage", file: ".storage/auth", message: expect.stringMatching(/not valid JSON.*truncated/) },
    ]);
    expect(facts?.auth).toBeUndefined();
    expect(facts?.onboarding?.done).toEqual(["user"]);
    expect(facts?.providerUsernames).toEqual(["testowner"]);
    expect(facts?.files.find((file) => file.name === "auth")).toBeDefined();
  });

  it("never quotes the broken text (it can be a token)", async () => {
    const root = home();
    const text = JSON.stringify(readStore(root, "auth"), null, 2);
    const token = readStore(root, "auth").data.refresh_tokens[1].token as string;
    // break the JSON right after a token value
    const broken = text.replace(`"${token}",`, `"${token}" oops`);
    writeStore(root, "auth", broken);
    const { errors } = await readStorage(root, options);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^is not valid JSON at line \d+, column \d+$/);
    expect(JSON.stringify(errors)).not.toContain(token.slice(0, 16));
  });

  it("refuses a store version it does not know, naming it, and goes on", async () => {
    const root = home();
    const auth = readStore(root, "auth");
    auth.version = 2;
    writeStore(root, "auth", auth);
    const { facts, errors } = await readStorage(root, options);
    expect(errors).toEqual([
      {
        source: "storage",
        file: ".storage/auth",
        message: "has version 2; hassguard reads version 1 of this store; not audited",
      },
    ]);
    expect(facts?.auth).toBeUndefined();
    expect(facts?.persons).toHaveLength(1);
  });

  it("refuses a file whose key is another store's", async () => {
    const root = home();
    const person = readStore(root, "person");
    person.key = "auth";
    writeStore(root, "person", person);
    const { errors } = await readStorage(root, options);
    expect(errors[0]?.message).toMatch(/has key "auth", expected "person"/);
  });

  it("reports unexpected fields and bad entries, keeping the good ones", async () => {
    const root = home();
    const auth = readStore(root, "auth");
    auth.data.users[1].favourite_colour = "blue";
    auth.data.users.push("not a user");
    auth.data.refresh_tokens[1].last_used_at = "yesterday-ish";
    writeStore(root, "auth", auth);
    const { facts, errors } = await readStorage(root, options);
    const messages = errors.map((error) => `${error.file}: ${error.message}`);
    expect(messages).toEqual([
      ".storage/auth: data: `users[2]` is not an object; skipped",
      ".storage/auth: refresh_tokens[1]: `last_used_at` is not a date; ignored",
      ".storage/auth: unexpected field `favourite_colour` (users): written by another Home Assistant version? It was ignored",
    ]);
    expect(facts?.auth?.users).toHaveLength(2);
    expect(facts?.auth?.refreshTokens[1]?.lastUsedAt).toBeUndefined();
  });

  it("reports an empty file, a non-object and a directory in place of a store", async () => {
    const root = home();
    writeStore(root, "onboarding", "");
    writeStore(root, "person", "[1, 2]");
    rmSync(path.join(root, ".storage", "auth_provider.homeassistant"));
    mkdirSync(path.join(root, ".storage", "auth_provider.homeassistant"));
    const { facts, errors } = await readStorage(root, options);
    expect(errors.map((error) => [error.file, error.message])).toEqual([
      [".storage/auth_provider.homeassistant", "is not a regular file"],
      [".storage/onboarding", "is empty, not JSON"],
      [".storage/person", "is not a JSON object"],
    ]);
    expect(facts?.auth?.users).toHaveLength(2);
  });

  it("does not follow a symlinked store", async () => {
    const root = home();
    rmSync(path.join(root, ".storage", "person"));
    symlinkSync("/etc/passwd", path.join(root, ".storage", "person"));
    const { facts, errors } = await readStorage(root, options);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/symbolic link.*not followed/)]);
    expect(facts?.persons).toBeUndefined();
  });
});
