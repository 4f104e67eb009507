import { hashSync } from "@node-rs/bcrypt";
import { describe, expect, it } from "vitest";
import { decodeHash, type PasswordTarget, runPasswordAudit } from "../../src/sources/storage/passwords/audit.js";
import { BcryptPool } from "../../src/sources/storage/passwords/bcrypt-pool.js";
import {
  baseForms,
  type Candidate,
  commonCandidates,
  leetForms,
  userCandidates,
  yearSuffixes,
} from "../../src/sources/storage/passwords/candidates.js";
import { cityOfTimeZone } from "../../src/sources/storage/passwords/home-words.js";
import { bundledCommonPasswords, HOME_ASSISTANT_WORDS } from "../../src/sources/storage/passwords/word-lists.js";
import { FIXTURE_HOME, FIXTURE_NOW, FIXTURE_OWNER_PASSWORD, readStore } from "./fixture-home.js";

/** Home Assistant stores base64(bcrypt hash); cost 4 keeps these tests fast (cost 12 is ~250 ms a hash). */
function storedHash(password: string, cost = 4): string {
  return Buffer.from(hashSync(password, cost)).toString("base64");
}

function target(username: string, passwordBase64: string, candidates: () => Iterable<Candidate>): PasswordTarget {
  return { username, passwordBase64, candidates };
}

const home = { homeNames: ["Villa Kunterbunt"], cities: ["Amsterdam"], userNames: ["alice", "Alice Smith", "bob"] };

describe("candidate generator", () => {
  it("types words the ways people do", () => {
    expect(baseForms("Test Owner")).toEqual(["TestOwner", "testowner", "Testowner", "Test Owner"]);
    expect(leetForms("password")).toEqual(["p@$$w0rd", "passw0rd", "P@$$w0rd", "Passw0rd"]);
    expect(yearSuffixes(FIXTURE_NOW).slice(0, 4)).toEqual(["2026", "2026!", "!2026", "@2026"]);
    expect(cityOfTimeZone("America/New_York")).toBe("New York");
    expect(cityOfTimeZone("UTC")).toBeUndefined();
  });

  it("puts the user's own words first, without repeats, and tags every candidate with its origin", async () => {
    const common = await bundledCommonPasswords();
    const list = [
      ...userCandidates(
        { username: "alice", names: ["Alice Smith"] },
        home,
        { common, homeAssistantWords: HOME_ASSISTANT_WORDS },
        FIXTURE_NOW,
      ),
    ];
    const passwords = list.map((candidate) => candidate.password);
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(list[0]).toEqual({ password: "alice", origin: "username" });
    const find = (password: string) => list.find((candidate) => candidate.password === password)?.origin;
    expect(find("Alice2026!")).toBe("username");
    expect(find("AliceSmith")).toBe("user-name");
    expect(find("Amsterdam1")).toBe("home-city");
    expect(find("VillaKunterbunt")).toBe("home-name");
    expect(find("bob123")).toBe("other-user");
    expect(find("Homeassistant2025")).toBe("home-assistant-word");
    expect(find("P@$$w0rd")).toBe("common-list");
    expect(find("Sunshine1")).toBe("common-list");
    // every entry of the bundled list is tried as typed
    expect(common.every((word) => find(word) !== undefined)).toBe(true);
    expect(common.length).toBeGreaterThan(2000);
    // likely before unlikely: the top of the common list comes before any mutation of it
    expect(passwords.indexOf("123456")).toBeLessThan(passwords.indexOf("alice2026"));
    expect(passwords.indexOf("alice2026")).toBeLessThan(passwords.indexOf("Password1234"));
  });

  it("reaches a capitalised word with `!` and this year from the common list", () => {
    const passwords = [...commonCandidates(["RigPassw0rd"], FIXTURE_NOW)].map((candidate) => candidate.password);
    expect(passwords).toContain(FIXTURE_OWNER_PASSWORD);
  });
});

describe("password audit with bcrypt on worker threads", () => {
  it("decodes Home Assistant's base64 field and refuses what is not a bcrypt hash", () => {
    const fixtureHash = readStore(FIXTURE_HOME, "auth_provider.homeassistant").data.users[0].password as string;
    expect(decodeHash(fixtureHash)).toMatchObject({ cost: 12 });
    expect(decodeHash(Buffer.from("plain text").toString("base64"))).toEqual({
      error: "the stored password is not a base64 bcrypt hash; not tested",
    });
  });

  it("finds the real fixture owner's password (cost 12) and says only where it came from", async () => {
    const stored = readStore(FIXTURE_HOME, "auth_provider.homeassistant").data.users[0];
    // The base word is not in any public list: the test supplies it, the generator's year rule does the rest.
    const audit = await runPasswordAudit(
      [target(stored.username, stored.password, () => commonCandidates(["RigPassw0rd"], FIXTURE_NOW))],
      { budgetSeconds: 30 },
    );
    expect(audit.users[0]?.match).toBe("common-list");
    expect(audit.ran).toBe(true);
    expect(audit.budgetExhausted).toBe(false);
    expect(audit.users[0]?.tested).toBeLessThan(audit.users[0]?.planned ?? 0);
    expect(JSON.stringify(audit)).not.toContain(FIXTURE_OWNER_PASSWORD);
  });

  it("finds username-derived and common passwords for every user, on every core", async () => {
    // The top 40 of the bundled list keeps the exhaustive run (dave) to about a second at cost 4.
    const lists = { common: (await bundledCommonPasswords()).slice(0, 40), homeAssistantWords: HOME_ASSISTANT_WORDS };
    const users = [
      { username: "alice", names: ["Alice Smith"], password: "Alice2026!" },
      { username: "bob", names: ["Bob"], password: "sunshine" },
      { username: "carol", names: ["Carol"], password: "Amsterdam1" },
      { username: "dave", names: ["Dave"], password: "correct horse battery staple 7Q" },
    ];
    const audit = await runPasswordAudit(
      users.map((user) =>
        target(user.username, storedHash(user.password), () => userCandidates(user, home, lists, FIXTURE_NOW)),
      ),
      { budgetSeconds: 20, workers: 2 },
    );
    expect(audit.users.map((user) => user.match)).toEqual(["username", "common-list", "home-city", undefined]);
    expect(audit.workers).toBe(2);
    // dave's strong password: the whole list was tried without a match
    expect(audit.users[3]?.tested).toBe(audit.users[3]?.planned);
    expect(audit.budgetExhausted).toBe(false);
  });

  it("stops at the budget and reports the coverage", async () => {
    const stored = readStore(FIXTURE_HOME, "auth_provider.homeassistant").data.users[0];
    const lists = { common: await bundledCommonPasswords(), homeAssistantWords: HOME_ASSISTANT_WORDS };
    const audit = await runPasswordAudit(
      [
        target(stored.username, stored.password, () =>
          userCandidates({ username: "testowner", names: [] }, home, lists, FIXTURE_NOW),
        ),
      ],
      { budgetSeconds: 1 },
    );
    expect(audit.budgetExhausted).toBe(true);
    expect(audit.users[0]?.match).toBeUndefined();
    expect(audit.tested).toBeGreaterThan(0);
    expect(audit.tested).toBeLessThan(audit.planned);
    expect(audit.planned).toBeGreaterThan(10_000);
  });

  it("does not run at budget 0, and reports hashes it cannot test", async () => {
    const off = await runPasswordAudit(
      [target("alice", storedHash("x"), () => ["x"].map((password) => ({ password, origin: "common-list" as const })))],
      {
        budgetSeconds: 0,
      },
    );
    expect(off).toMatchObject({ ran: false, tested: 0, skippedReason: expect.stringMatching(/budget is 0/) });
    const broken = await runPasswordAudit([target("mallory", "bm90IGEgaGFzaA==", () => [])], { budgetSeconds: 5 });
    expect(broken.ran).toBe(false);
    expect(broken.users[0]?.error).toMatch(/not a base64 bcrypt hash/);
  });
});

describe("bcrypt worker pool", () => {
  it("fails a job, instead of hanging, when a worker cannot load bcrypt", async () => {
    const pool = new BcryptPool(1, "/nonexistent/bcrypt.node");
    try {
      await expect(pool.run({ hash: "$2b$04$abc", candidates: ["x"], deadline: Date.now() + 5000 })).rejects.toThrow(
        /Cannot find module/,
      );
    } finally {
      await pool.close();
    }
  });
});
