import { hashSync } from "@node-rs/bcrypt";
import { describe, expect, it } from "vitest";
import { userCoverage } from "../../src/checks/storage/users-weak-password.js";
import { decodeHash, type PasswordTarget, runPasswordAudit } from "../../src/sources/storage/passwords/audit.js";
import { BcryptPool } from "../../src/sources/storage/passwords/bcrypt-pool.js";
import {
  type Candidate,
  CandidatePlan,
  type HomeWords,
  userCandidates,
  type WordLists,
} from "../../src/sources/storage/passwords/candidates.js";
import { cityOfTimeZone, houseNumbers, withoutNumbers } from "../../src/sources/storage/passwords/home-words.js";
import { recentYears, wordForms } from "../../src/sources/storage/passwords/styles.js";
import { defaultWordLists, parsePasswordShapes } from "../../src/sources/storage/passwords/word-lists.js";
import { FIXTURE_HOME, FIXTURE_NOW, FIXTURE_OWNER_PASSWORD, readStore } from "./fixture-home.js";

/** Home Assistant stores base64(bcrypt hash); cost 4 keeps these tests fast (cost 12 is ~250 ms a hash). */
function storedHash(password: string, cost = 4): string {
  return Buffer.from(hashSync(password, cost)).toString("base64");
}

function target(username: string, passwordBase64: string, candidates: () => Iterable<Candidate>): PasswordTarget {
  return { username, passwordBase64, candidates };
}

const home: HomeWords = {
  homeNames: ["Villa Kunterbunt"],
  cities: ["Amsterdam"],
  houseNumbers: ["12"],
  userNames: ["alice", "Alice Smith", "bob"],
};

/** The candidates of `username` as a list, and a lookup of where a password comes in it (1-based). */
async function candidatesOf(username: string, names: string[], lists?: WordLists) {
  const list = [...userCandidates({ username, names }, home, lists ?? (await defaultWordLists()), FIXTURE_NOW)];
  const position = new Map(list.map((candidate, i) => [candidate.password, i + 1]));
  return { list, position: (password: string) => position.get(password) ?? Number.POSITIVE_INFINITY };
}

describe("candidate generator", () => {
  it("types words the ways people do", () => {
    expect(wordForms("Oak Street")).toEqual({
      typed: "Oak Street",
      lower: "oakstreet",
      capitalised: "Oakstreet",
      camel: "OakStreet",
    });
    // a capital inside a word is how its owner writes it
    expect(wordForms("RigPassw0rd")?.capitalised).toBe("RigPassw0rd");
    expect(recentYears(FIXTURE_NOW).map((entry) => entry.year)).toEqual([
      "2025",
      "2024",
      "2026",
      "2023",
      "2022",
      "2021",
    ]);
    expect(withoutNumbers("12 Oak Street")).toBe("Oak Street");
    expect(houseNumbers("Lindenstraße 5a")).toEqual(["5a"]);
    expect(cityOfTimeZone("America/New_York")).toBe("New York");
    expect(cityOfTimeZone("UTC")).toBeUndefined();
  });

  it("generates every shape once, tagged with where it came from", async () => {
    const lists = await defaultWordLists();
    const { list } = await candidatesOf("alice", ["Alice Smith"], lists);
    const passwords = list.map((candidate) => candidate.password);
    expect(new Set(passwords).size).toBe(passwords.length);
    const origin = (password: string) => list.find((candidate) => candidate.password === password)?.origin;
    expect(origin("alice")).toBe("username");
    expect(origin("Alice2026!")).toBe("username");
    expect(origin("Smith1")).toBe("user-name");
    expect(origin("Alice1985")).toBe("username"); // birth years for a user's own names
    expect(origin("Summer2024!")).toBe("season-or-month");
    expect(origin("September2021")).toBe("season-or-month");
    expect(origin("Amsterdam1")).toBe("home-city");
    expect(origin("VillaKunterbunt")).toBe("home-name");
    expect(origin("Kunterbunt12")).toBe("home-name"); // the house number
    expect(origin("bob123")).toBe("other-user");
    expect(origin("Qwerty123!")).toBe("keyboard-walk");
    expect(origin("Homeassistant2025")).toBe("home-assistant-word");
    expect(origin("P@ssw0rd")).toBe("common-list");
    expect(origin("Sunshine1")).toBe("common-list");
    // every entry of the bundled list is tried as typed, and nothing longer than bcrypt reads
    expect(lists.common.every((word) => origin(word) !== undefined)).toBe(true);
    expect(lists.common.length).toBeGreaterThan(2000);
    expect(passwords.every((password) => password.length > 0 && Buffer.byteLength(password) <= 72)).toBe(true);
    // digits go after letters, not after digits
    expect(origin("1234561")).toBeUndefined();
  });

  it("tries the likeliest first: the real weak passwords of issue 9 early, rare shapes late", async () => {
    const { position } = await candidatesOf("alice", ["Alice Smith"]);
    // the top of the common list and the user's own login name before anything else
    expect(Math.max(position("123456"), position("password"), position("alice"))).toBeLessThanOrEqual(10);
    // the two passwords a 60-second test on a real Home Assistant missed (one was never generated)
    expect(position("Summer2024!")).toBeLessThanOrEqual(100);
    expect(position("password123")).toBeLessThanOrEqual(250);
    // a likelier year and season first; a common word before its rare leetspeak
    expect(position("Summer2024!")).toBeLessThan(position("Summer2021!"));
    expect(position("Summer2024!")).toBeLessThan(position("Autumn2024!"));
    expect(position("password")).toBeLessThan(position("p4$$w0rd"));
  });

  it("shares one plan between users, each with their own names first", async () => {
    const plan = new CandidatePlan(home, await defaultWordLists(), FIXTURE_NOW);
    const alice = [...plan.forUser({ username: "alice", names: ["Alice Smith"] })];
    const bob = [...plan.forUser({ username: "bob", names: [] })];
    expect(alice.find((c) => c.password === "bob1")?.origin).toBe("other-user");
    expect(bob.find((c) => c.password === "bob1")?.origin).toBe("username");
    expect(bob.find((c) => c.password === "alice1")?.origin).toBe("other-user");
    expect(new Set(bob.map((c) => c.password)).size).toBe(bob.length);
  });

  it("refuses a damaged shapes file instead of ordering badly", () => {
    expect(() => parsePasswordShapes('{"digitSuffixes": []}')).toThrow(/digitSuffixes/);
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

  it("finds the real fixture owner's password (cost 12) by the generator's own rules within a candidate budget", async () => {
    const stored = readStore(FIXTURE_HOME, "auth_provider.homeassistant").data.users[0];
    // The base word is in no public list: the test supplies it as the whole common list; the generator's rules
    // (the word as written, `!`, this year) and its order do the rest. The fixture's home words as read.
    const lists = { ...(await defaultWordLists()), common: ["RigPassw0rd"] };
    const fixtureHome: HomeWords = { homeNames: ["TestHome"], cities: [], houseNumbers: [], userNames: ["Test Owner"] };
    const owner = { username: "testowner", names: ["Test Owner"] };
    const plan = new CandidatePlan(fixtureHome, lists, FIXTURE_NOW);
    const needed = [...plan.forUser(owner)].findIndex((c) => c.password === FIXTURE_OWNER_PASSWORD) + 1;
    expect(needed).toBeGreaterThan(0);
    expect(needed).toBeLessThanOrEqual(80);
    // No time limit: the candidate budget alone bounds the run, so a busy machine changes nothing but its length.
    const audit = await runPasswordAudit([target(stored.username, stored.password, () => plan.forUser(owner))], {
      candidatesPerUser: needed,
    });
    expect(audit.users[0]?.match).toBe("common-list");
    expect(audit.users[0]?.tested).toBe(needed);
    expect(audit.budgetExhausted).toBe(false);
    expect(JSON.stringify(audit)).not.toContain(FIXTURE_OWNER_PASSWORD);
  }, 600_000);

  it("finds username-derived, common and home-derived passwords for every user, on every core", async () => {
    // Short lists keep the exhaustive run (dave) to a few thousand cost-4 hashes.
    const all = await defaultWordLists();
    const lists: WordLists = {
      ...all,
      common: all.common.slice(0, 40),
      shapes: {
        ...all.shapes,
        seasonsAndMonths: all.shapes.seasonsAndMonths.slice(0, 2),
        keyboardWalks: all.shapes.keyboardWalks.slice(0, 2),
        digitSuffixes: all.shapes.digitSuffixes.slice(0, 3),
      },
    };
    const users = [
      { username: "alice", names: ["Alice Smith"], password: "Alice2026!" },
      { username: "bob", names: ["Bob"], password: "sunshine" },
      { username: "carol", names: ["Carol"], password: "Amsterdam1" },
      { username: "dave", names: ["Dave"], password: "correct horse battery staple 7Q" },
    ];
    const plan = new CandidatePlan(home, lists, FIXTURE_NOW);
    const audit = await runPasswordAudit(
      users.map((user) => target(user.username, storedHash(user.password), () => plan.forUser(user))),
      { candidatesPerUser: 1_000_000, workers: 2 },
    );
    expect(audit.users.map((user) => user.match)).toEqual(["username", "common-list", "home-city", undefined]);
    expect(audit.workers).toBe(2);
    // dave's strong password: the whole list was tried without a match
    expect(audit.users[3]?.tested).toBe(audit.users[3]?.planned);
    expect(audit.budgetExhausted).toBe(false);
  }, 120_000);

  it("shares a candidate budget equally and reports each user's coverage by kind", async () => {
    const plan = new CandidatePlan(home, await defaultWordLists(), FIXTURE_NOW);
    const users = ["alice", "bob", "carol"];
    const audit = await runPasswordAudit(
      users.map((username) =>
        target(username, storedHash(`a long passphrase for ${username}`), () => plan.forUser({ username, names: [] })),
      ),
      { candidatesPerUser: 25 },
    );
    expect(audit.users.map((user) => [user.tested, user.planned])).toEqual([
      [25, 25],
      [25, 25],
      [25, 25],
    ]);
    expect(audit).toMatchObject({ budgetExhausted: true, stoppedBy: "candidates", candidatesPerUser: 25 });
    const alice = audit.users[0];
    const kinds = Object.values(alice?.coverage ?? {});
    expect(kinds.reduce((sum, kind) => sum + kind.tested, 0)).toBe(25);
    expect(alice?.coverage?.username?.tested).toBeGreaterThan(0);
    expect(userCoverage(alice ?? { username: "", tested: 0, planned: 0 })).toMatch(
      /^alice \(25 tried: (the login name|[a-z' ]+) \d+%(, [A-Za-z' ]+ \d+(\.\d)?%)+\)$/,
    );
  });

  it("stops at the time budget and says so", async () => {
    const stored = readStore(FIXTURE_HOME, "auth_provider.homeassistant").data.users[0];
    const plan = new CandidatePlan(home, await defaultWordLists(), FIXTURE_NOW);
    // ~28,000 cost-12 candidates cannot be tried in half a second on any machine, busy or idle.
    const audit = await runPasswordAudit(
      [target(stored.username, stored.password, () => plan.forUser({ username: "testowner", names: [] }))],
      { budgetSeconds: 0.5 },
    );
    expect(audit).toMatchObject({ budgetExhausted: true, stoppedBy: "time" });
    expect(audit.users[0]?.match).toBeUndefined();
    expect(audit.tested).toBeLessThan(audit.planned);
    expect(audit.planned).toBeGreaterThan(10_000);
  });

  it("does not run at a budget of 0, refuses no budget at all, and reports hashes it cannot test", async () => {
    const one = () => ["x"].map((password) => ({ password, origin: "common-list" as const }));
    const off = await runPasswordAudit([target("alice", storedHash("x"), one)], { budgetSeconds: 0 });
    expect(off).toMatchObject({ ran: false, tested: 0, skippedReason: expect.stringMatching(/budget is 0/) });
    const none = await runPasswordAudit([target("alice", storedHash("x"), one)], { candidatesPerUser: 0 });
    expect(none).toMatchObject({ ran: false, skippedReason: expect.stringMatching(/candidate budget is 0/) });
    await expect(runPasswordAudit([target("alice", storedHash("x"), one)], {})).rejects.toThrow(/needs a time or/);
    const broken = await runPasswordAudit([target("mallory", "bm90IGEgaGFzaA==", () => [])], { candidatesPerUser: 5 });
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
