import { afterEach, describe, expect, it } from "vitest";
import { readStorage } from "../../src/sources/storage/index.js";
import { removeTree } from "../helpers/tree.js";
import { copyFixtureHome, FIXTURE_NOW, readStore, writeStore } from "./fixture-home.js";

/**
 * The store files are read through one zod schema per store (src/sources/storage/auth.ts, small-stores.ts):
 * a wrong required field skips its entry, a wrong lenient field is reported and takes its fallback, a wrong
 * item of a list is dropped, and every line names the file, the entry and the field, never the value.
 */
const options = { passwordBudgetSeconds: 0, now: FIXTURE_NOW };
const homes: string[] = [];
afterEach(() => {
  for (const root of homes.splice(0)) removeTree(root);
});

async function readDamaged(damage: (root: string) => void) {
  const root = copyFixtureHome();
  homes.push(root);
  damage(root);
  const { facts, errors } = await readStorage(root, options);
  return { facts, messages: errors.map((error) => `${error.file}: ${error.message}`) };
}

const OWNER = "a314953c456d46418ba459e6ebb542fd";

describe("store entries read through their schema", () => {
  it("skips an entry whose required field is wrong, and keeps the others", async () => {
    const { facts, messages } = await readDamaged((root) => {
      const auth = readStore(root, "auth");
      auth.data.users[0].id = 7;
      writeStore(root, "auth", auth);
    });
    expect(messages).toEqual([
      ".storage/auth: users[0]: `id` is not a non-empty string",
      // that user's token goes too, as Home Assistant's loader drops a token without its user
      ".storage/auth: refresh_tokens[0]: belongs to a user that is not in `users`; skipped",
    ]);
    expect(facts?.auth?.users.map((user) => user.id)).toEqual([OWNER]);
  });

  it("reports a wrong lenient field and reads the rest of the entry with its fallback", async () => {
    const { facts, messages } = await readDamaged((root) => {
      const auth = readStore(root, "auth");
      auth.data.users[1].is_owner = "yes";
      auth.data.users[1].name = 42;
      writeStore(root, "auth", auth);
    });
    expect(messages).toEqual([
      ".storage/auth: users[1]: `is_owner` is not true/false; taken as false",
      ".storage/auth: users[1]: `name` is not a string; ignored",
    ]);
    const owner = facts?.auth?.users.find((user) => user.id === OWNER);
    expect(owner).toMatchObject({ isOwner: false, name: null, isActive: true, isAdmin: true });
  });

  it("drops the wrong items of a list and keeps the good ones", async () => {
    const { facts, messages } = await readDamaged((root) => {
      const auth = readStore(root, "auth");
      auth.data.users[1].group_ids = [17, "system-admin", null];
      writeStore(root, "auth", auth);
      writeStore(root, "onboarding", { version: 4, key: "onboarding", data: { done: ["user", 3, "analytics"] } });
    });
    expect(messages).toEqual([
      ".storage/auth: users[1]: `group_ids` holds non-string items; they were ignored",
      ".storage/onboarding: data: `done` holds non-string items; they were ignored",
    ]);
    expect(facts?.auth?.users.find((user) => user.id === OWNER)?.groupIds).toEqual(["system-admin"]);
    expect(facts?.onboarding?.done).toEqual(["user", "analytics"]);
  });

  it("reads a store whose list is missing as empty, saying so, and the store's other lists still count", async () => {
    const { facts, messages } = await readDamaged((root) => {
      const auth = readStore(root, "auth");
      delete auth.data.credentials;
      writeStore(root, "auth", auth);
    });
    expect(messages).toEqual([".storage/auth: data: `credentials` is missing"]);
    expect(facts?.auth?.credentials).toEqual([]);
    expect(facts?.auth?.users).toHaveLength(2);
    expect(facts?.auth?.refreshTokens).toHaveLength(3);
  });

  it("refuses what a store cannot do without: onboarding without its list of steps", async () => {
    const { facts, messages } = await readDamaged((root) => {
      writeStore(root, "onboarding", { version: 4, key: "onboarding", data: { done: "user" } });
    });
    expect(messages).toEqual([".storage/onboarding: data: `done` is not a list"]);
    expect(facts?.onboarding).toBeUndefined();
  });

  it("skips a token of an unknown type without quoting it (it may be the token itself)", async () => {
    let secret = "";
    const { facts, messages } = await readDamaged((root) => {
      const auth = readStore(root, "auth");
      secret = auth.data.refresh_tokens[1].token;
      auth.data.refresh_tokens[1].token_type = secret;
      writeStore(root, "auth", auth);
    });
    expect(messages).toEqual([".storage/auth: refresh_tokens[1]: `token_type` is not a known token type; skipped"]);
    expect(facts?.auth?.refreshTokens).toHaveLength(2);
    expect(JSON.stringify({ facts, messages })).not.toContain(secret.slice(0, 16));
  });

  it("keeps no secret field in the facts, and masks a long unexpected field name", async () => {
    let secret = "";
    const { facts, messages } = await readDamaged((root) => {
      const auth = readStore(root, "auth");
      secret = auth.data.refresh_tokens[2].token;
      auth.data.users[1][secret] = true;
      writeStore(root, "auth", auth);
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^\.storage\/auth: unexpected fields? `.{4}.*` \(users\)/);
    const text = JSON.stringify({ facts, messages });
    expect(text).not.toContain(secret.slice(0, 16));
    expect(text).not.toMatch(/"(token|jwt_key|password)"/);
  });

  it("reads the envelope's version and minor version, 1 when a store has none", async () => {
    const { facts, messages } = await readDamaged((root) => {
      const person = readStore(root, "person");
      delete person.minor_version;
      writeStore(root, "person", person);
      const onboarding = readStore(root, "onboarding");
      (onboarding as { version: unknown }).version = "4";
      writeStore(root, "onboarding", onboarding);
    });
    expect(messages).toEqual([".storage/onboarding: has no integer `version`: not a Home Assistant store file"]);
    expect(facts?.files.find((file) => file.name === "person")).toMatchObject({ version: 2, minorVersion: 1 });
  });

  it("names what an envelope lacks: its data, its key", async () => {
    const { messages } = await readDamaged((root) => {
      writeStore(root, "person", { version: 2, key: "person" });
      writeStore(root, "core.config", { version: 1, data: {} });
    });
    expect(messages).toEqual([
      ".storage/person: has no `data`",
      '.storage/core.config: has key "undefined", expected "core.config": not the store this file name belongs to',
    ]);
  });
});
