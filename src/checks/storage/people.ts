import type { UserLocation } from "../../model/finding.js";
import type { StorageAuth, StorageRefreshToken, StorageUser } from "../../model/storage-facts.js";

/** Home Assistant's own expiry for unused refresh tokens (`auth/const.py` REFRESH_TOKEN_EXPIRATION). */
export const UNUSED_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** People who can log in: not Home Assistant's own system users (Supervisor, Home Assistant Content, cloud). */
export function humanUsers(auth: StorageAuth): StorageUser[] {
  return auth.users.filter((user) => !user.systemGenerated);
}

/** `Test Owner (login testowner)`: how a user is named in messages. Never an id when a name exists. */
export function userLabel(user: StorageUser): string {
  const name = user.name ?? user.personName ?? "(unnamed user)";
  const logins = user.usernames.length > 0 ? ` (login ${user.usernames.join(", ")})` : "";
  return `${name}${logins}`;
}

export function userLocation(user: StorageUser): UserLocation {
  return { user: user.usernames[0] ?? user.name ?? user.id };
}

export function tokensOf(auth: StorageAuth, user: StorageUser): StorageRefreshToken[] {
  return auth.refreshTokens.filter((token) => token.userId === user.id);
}

/** The last time anyone used one of these tokens. */
export function lastUse(tokens: readonly StorageRefreshToken[]): Date | undefined {
  let latest: Date | undefined;
  for (const token of tokens) {
    if (token.lastUsedAt !== undefined && (latest === undefined || token.lastUsedAt > latest))
      latest = token.lastUsedAt;
  }
  return latest;
}

export function daysSince(date: Date, now: Date): number {
  return Math.floor((now.getTime() - date.getTime()) / DAY_MS);
}

/** `3 days ago`, `today`, `in the future (clock skew?)`. */
export function ago(date: Date | undefined, now: Date): string {
  if (date === undefined) return "never";
  const days = daysSince(date, now);
  if (days < 0) return `${date.toISOString().slice(0, 10)} (in the future: clock skew?)`;
  if (days === 0) return `today (${date.toISOString().slice(0, 10)})`;
  return `${days} day${days === 1 ? "" : "s"} ago (${date.toISOString().slice(0, 10)})`;
}

/** How a token is named in messages: its name for long-lived tokens, its client for logins. Never its value. */
export function tokenLabel(token: StorageRefreshToken): string {
  if (token.tokenType === "long_lived_access_token") return `long-lived token "${token.clientName ?? "(no name)"}"`;
  if (token.tokenType === "system") return "system token";
  return `login session of ${token.clientName ?? token.clientId ?? "an unknown client"}`;
}

export function userById(auth: StorageAuth, id: string): StorageUser | undefined {
  return auth.users.find((user) => user.id === id);
}
