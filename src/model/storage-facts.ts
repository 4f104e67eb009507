/**
 * What Home Assistant's `.storage/` says about users, credentials, MFA and tokens.
 * Owned by the storage reader (src/sources/storage); see shared ha-facts §3.
 *
 * Deliberately absent: refresh token values, `jwt_key`s, password hashes, TOTP secrets and notify targets.
 * The reader uses the hashes for the weak-password audit and keeps only its verdicts, so no check can
 * print a secret even by mistake.
 */

/** One file of `.storage/` the reader looked at. */
export interface StorageFileInfo {
  /** File name inside `.storage`, e.g. `auth`. */
  name: string;
  /** Relative to the configuration directory, `/`-separated: `.storage/auth`. */
  path: string;
  /** Permission bits (`mode & 0o777`). */
  mode: number;
  size: number;
  /** The store's `version` / `minor_version` when the file parsed. */
  version?: number;
  minorVersion?: number;
}

export interface StorageGroup {
  id: string;
  name: string | null;
}

export interface StorageCredential {
  id: string;
  userId: string;
  /** `homeassistant`, `trusted_networks`, `command_line`, ... */
  providerType: string;
  providerId: string | null;
  /** The login name for `homeassistant` credentials. */
  username?: string;
}

export interface StorageUser {
  id: string;
  name: string | null;
  groupIds: string[];
  isOwner: boolean;
  isActive: boolean;
  systemGenerated: boolean;
  localOnly: boolean;
  /** Home Assistant's `is_admin`: owner, or active and in `system-admin`. */
  isAdmin: boolean;
  /** Login names of this user's `homeassistant` credentials. */
  usernames: string[];
  /** Provider types of all this user's credentials. */
  credentialTypes: string[];
  /** Enrolled MFA modules, by store: `totp` (`auth_module.totp`), `notify` (`auth_module.notify`). */
  mfaModules: string[];
  /** The `person` linked to this user, if any. */
  personName?: string;
}

export type TokenType = "normal" | "system" | "long_lived_access_token";

/** A refresh token without its secret parts (`token`, `jwt_key`). */
export interface StorageRefreshToken {
  /** The token's id (the `iss` of its access tokens; not usable to authenticate). */
  id: string;
  userId: string;
  tokenType: TokenType;
  clientId: string | null;
  /** For long-lived tokens: the name the user gave it. */
  clientName: string | null;
  createdAt?: Date;
  lastUsedAt?: Date;
  lastUsedIp: string | null;
  /**
   * When the token expires unless used again (it slides by 90 days on each use). `null`: it never expires.
   * Home Assistant before 2024.x wrote no `expire_at` at all; such tokens never expire either (`null` here).
   */
  expireAt: Date | null;
  /** Lifetime of the access tokens it mints, seconds (10 years for long-lived tokens). */
  accessTokenExpirationSeconds?: number;
  credentialId: string | null;
  /** The Home Assistant version that created it. */
  haVersion: string | null;
}

export interface StorageAuth {
  users: StorageUser[];
  groups: StorageGroup[];
  credentials: StorageCredential[];
  refreshTokens: StorageRefreshToken[];
}

export interface OnboardingState {
  /** Steps done, as written (`user`, `core_config`, `analytics`, `integration`). */
  done: string[];
  /** Known steps not done yet. */
  pending: string[];
}

export interface PersonEntry {
  id: string;
  name: string;
  userId: string | null;
}

/** The few `core.config` values the audit uses (password words). */
export interface CoreConfigFacts {
  locationName?: string;
  timeZone?: string;
  country?: string;
}

/** Where a candidate password came from: what a finding may say about a match, never the password. */
export type CandidateOrigin =
  | "common-list"
  | "season-or-month"
  | "keyboard-walk"
  | "username"
  | "user-name"
  | "home-name"
  | "home-city"
  | "home-assistant-word"
  | "other-user";

export interface PasswordUserResult {
  username: string;
  /** The `auth` user holding this login, when the credential links it. */
  userId?: string;
  /** Candidates tried against this user's hash. */
  tested: number;
  /** Candidates planned for this user. */
  planned: number;
  /** The origin of the candidate that matched (the password itself is never kept). */
  match?: CandidateOrigin;
  /** Per kind of candidate: how many were planned for this user and how many were tried. */
  coverage?: Partial<Record<CandidateOrigin, { tested: number; planned: number }>>;
  /** Why this user's hash could not be tested (not a bcrypt hash, ...). */
  error?: string;
}

export interface PasswordAudit {
  /** False when the budget was 0 or there was nothing to test. */
  ran: boolean;
  skippedReason?: string;
  /** The time budget; absent when only a candidate budget bounded the test. */
  budgetSeconds?: number;
  /** The candidate budget per user, when one was set. */
  candidatesPerUser?: number;
  elapsedMs: number;
  workers: number;
  /** Sums over users: how much of the candidate list the budget covered. */
  tested: number;
  planned: number;
  /** Whether a budget ran out before every user's list was finished, and which one. */
  budgetExhausted: boolean;
  stoppedBy?: "time" | "candidates";
  users: PasswordUserResult[];
}

export interface StorageFacts {
  /** Absolute path of the `.storage` folder. */
  dir: string;
  /** The files the reader looked at (present ones only). */
  files: StorageFileInfo[];
  /** `.storage/auth`; absent when missing or unreadable. */
  auth?: StorageAuth;
  /** Logins in `auth_provider.homeassistant` (names only). */
  providerUsernames?: string[];
  /** Whether `auth_module.totp` / `auth_module.notify` exist (users enrolled are on `StorageUser.mfaModules`). */
  mfaStores: { totp: boolean; notify: boolean };
  onboarding?: OnboardingState;
  persons?: PersonEntry[];
  coreConfig?: CoreConfigFacts;
  passwordAudit?: PasswordAudit;
}
