import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The real `.storage` (and configuration.yaml) written by Home Assistant 2023.11.3, copied unchanged. */
export const FIXTURE_HOME = fileURLToPath(new URL("../fixtures/storage/ha-2023.11.3", import.meta.url));
/** When the fixture was recorded (its tokens were created 2026-11-23T17:18Z). */
export const FIXTURE_NOW = new Date("2026-11-23T18:00:00Z");
/** The owner's password, published in the shared fixture's README. */
export const FIXTURE_OWNER_PASSWORD = "RigPassw0rd!2026";

/** A private copy of the fixture home in a temp dir, with Home Assistant's own modes (600) on the stores. */
export function copyFixtureHome(): string {
  const root = mkdtempSync(path.join(tmpdir(), "hassguard-storage-"));
  cpSync(FIXTURE_HOME, root, { recursive: true });
  for (const name of ["auth", "auth_provider.homeassistant", "onboarding", "person", "http.auth"]) {
    chmodSync(path.join(root, ".storage", name), 0o600);
  }
  return root;
}

export function readStore(root: string, name: string): StoreFile {
  return JSON.parse(readFileSync(path.join(root, ".storage", name), "utf8")) as StoreFile;
}

export function writeStore(root: string, name: string, store: unknown, mode = 0o600): void {
  const file = path.join(root, ".storage", name);
  writeFileSync(file, typeof store === "string" ? store : JSON.stringify(store, null, 2));
  chmodSync(file, mode);
}

/** A store file's envelope; `data` is left loose because tests edit it field by field. */
export interface StoreFile {
  version: number;
  minor_version?: number;
  key: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests reshape real store data freely
  data: any;
}

/** Every secret value in the fixture: tokens, jwt keys and password hashes (base64 and decoded). */
export function fixtureSecrets(): string[] {
  const auth = JSON.parse(readFileSync(path.join(FIXTURE_HOME, ".storage", "auth"), "utf8")) as StoreFile;
  const provider = JSON.parse(
    readFileSync(path.join(FIXTURE_HOME, ".storage", "auth_provider.homeassistant"), "utf8"),
  ) as StoreFile;
  const secrets: string[] = [];
  for (const token of auth.data.refresh_tokens as { token: string; jwt_key: string }[])
    secrets.push(token.token, token.jwt_key);
  for (const user of provider.data.users as { password: string }[]) {
    secrets.push(user.password, Buffer.from(user.password, "base64").toString("latin1"));
  }
  return secrets;
}
