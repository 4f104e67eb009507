import { stat } from "node:fs/promises";
import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import { errorMessage } from "../../model/engine.js";
import type { SourceError } from "../../model/errors.js";
import type { StorageFacts, StorageFileInfo } from "../../model/storage-facts.js";
import { parseAuth } from "./auth.js";
import { FieldReader } from "./fields.js";
import { runPasswordAudit } from "./passwords/audit.js";
import { CandidatePlan, type WordLists } from "./passwords/candidates.js";
import { homeWords } from "./passwords/home-words.js";
import { defaultWordLists } from "./passwords/word-lists.js";
import {
  type ProviderLogin,
  parseCoreConfig,
  parseMfaEnrolment,
  parseOnboarding,
  parsePersons,
  parseProviderLogins,
} from "./small-stores.js";
import { readStoreFile, storageError } from "./store-file.js";

export interface ReadStorageOptions {
  /** Seconds the weak-password audit may spend; 0 turns it off. */
  passwordBudgetSeconds: number;
  /** At most this many candidates per user (the likeliest first); no limit when absent. */
  passwordCandidates?: number;
  /** The configuration, for the home's name and time zone (password words). */
  config?: ConfigFacts;
  now: Date;
  /** Worker threads for the password audit; every core by default. */
  passwordWorkers?: number;
  /** Replaces the bundled candidate lists (tests and benchmarks use small ones). */
  wordLists?: WordLists;
  /** Called once as the password audit starts, with the number of logins it tests (it takes a while). */
  onPasswordAuditStart?: (logins: number) => void;
}

export interface ReadStorageResult {
  facts?: StorageFacts;
  errors: SourceError[];
  missingReason?: string;
}

/** The store files read, with the major versions whose format hassguard knows (from Home Assistant's sources). */
const STORES = {
  auth: [1],
  "auth_provider.homeassistant": [1],
  "auth_module.totp": [1],
  "auth_module.notify": [1],
  onboarding: [1, 2, 3, 4],
  person: [1, 2],
  "core.config": [1],
} as const satisfies Record<string, readonly number[]>;
type StoreName = keyof typeof STORES;

/**
 * Reads `CONFIG_DIR/.storage`: users, groups, credentials and tokens, MFA enrolment, onboarding, persons,
 * and runs the weak-password audit within its budget. Each file stands alone: a missing, corrupt or
 * unexpected one becomes an error naming the file and the fault, and the rest is still read.
 */
export async function readStorage(configDir: string, options: ReadStorageOptions): Promise<ReadStorageResult> {
  const dir = path.resolve(configDir, ".storage");
  try {
    if (!(await stat(dir)).isDirectory()) return { errors: [], missingReason: "`.storage` is not a folder" };
  } catch {
    return {
      errors: [],
      missingReason:
        "there is no `.storage` folder (Home Assistant has not run here, or this is not its configuration directory)",
    };
  }

  const errors: SourceError[] = [];
  const files: StorageFileInfo[] = [];
  /** Reads one store and hands its `data` to `parse`; problems become errors, parse failures too. */
  const load = async <T>(name: StoreName, parse: (data: unknown, reader: FieldReader) => T): Promise<T | undefined> => {
    const read = await readStoreFile(dir, name, STORES[name]);
    if (read.kind === "absent") return undefined;
    if (read.kind === "error") {
      if (read.info !== undefined) files.push(read.info);
      errors.push(read.error);
      return undefined;
    }
    files.push(read.document.info);
    const reader = new FieldReader();
    try {
      const parsed = parse(read.document.data, reader);
      for (const problem of reader.summary()) errors.push(storageError(read.document.info.path, problem));
      return parsed;
    } catch (error) {
      errors.push(storageError(read.document.info.path, `could not be read: ${errorMessage(error)}`));
      return undefined;
    }
  };

  const auth = await load("auth", parseAuth);
  const logins = await load("auth_provider.homeassistant", parseProviderLogins);
  const totpUsers = await load("auth_module.totp", parseMfaEnrolment);
  const notifyUsers = await load("auth_module.notify", parseMfaEnrolment);
  const onboarding = await load("onboarding", parseOnboarding);
  const persons = await load("person", parsePersons);
  const coreConfig = await load("core.config", parseCoreConfig);

  const facts: StorageFacts = {
    dir,
    files,
    mfaStores: {
      totp: files.some((f) => f.name === "auth_module.totp"),
      notify: files.some((f) => f.name === "auth_module.notify"),
    },
  };
  if (auth !== undefined) {
    for (const user of auth.users) {
      if (totpUsers?.includes(user.id)) user.mfaModules.push("totp");
      if (notifyUsers?.includes(user.id)) user.mfaModules.push("notify");
      const person = persons?.find((entry) => entry.userId === user.id);
      if (person !== undefined) user.personName = person.name;
    }
    facts.auth = auth;
  }
  if (logins !== undefined) facts.providerUsernames = logins.map((login) => login.username);
  if (onboarding !== undefined) facts.onboarding = onboarding;
  if (persons !== undefined) facts.persons = persons;
  if (coreConfig !== undefined) facts.coreConfig = coreConfig;

  if (logins !== undefined) {
    if (options.passwordBudgetSeconds > 0 && logins.length > 0) options.onPasswordAuditStart?.(logins.length);
    try {
      facts.passwordAudit = await auditPasswords(logins, facts, options);
    } catch (error) {
      errors.push(
        storageError(".storage/auth_provider.homeassistant", `the weak-password audit failed: ${errorMessage(error)}`),
      );
    }
  }
  return { facts, errors };
}

async function auditPasswords(logins: readonly ProviderLogin[], facts: StorageFacts, options: ReadStorageOptions) {
  const lists = options.wordLists ?? (await defaultWordLists());
  const home = homeWords(facts.auth, facts.persons ?? [], facts.coreConfig, options.config);
  // What every user shares is scored once; each user's own words are merged in.
  const plan = new CandidatePlan(home, lists, options.now);
  const targets = logins.map((login) => {
    // auth_provider.homeassistant normalises usernames with strip().casefold(); match credentials the same way.
    const key = login.username.trim().toLowerCase();
    const user = facts.auth?.users.find((candidate) =>
      candidate.usernames.some((name) => name.trim().toLowerCase() === key),
    );
    const names = [user?.name ?? "", user?.personName ?? ""].filter((name) => name.length > 0);
    return {
      username: login.username,
      ...(user === undefined ? {} : { userId: user.id }),
      passwordBase64: login.passwordBase64,
      candidates: () => plan.forUser({ username: login.username, names }),
    };
  });
  return runPasswordAudit(targets, {
    budgetSeconds: options.passwordBudgetSeconds,
    ...(options.passwordCandidates === undefined ? {} : { candidatesPerUser: options.passwordCandidates }),
    ...(options.passwordWorkers === undefined ? {} : { workers: options.passwordWorkers }),
  });
}
