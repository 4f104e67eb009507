import { z } from "zod";
import type {
  StorageAuth,
  StorageCredential,
  StorageGroup,
  StorageRefreshToken,
  StorageUser,
  TokenType,
} from "../../model/storage-facts.js";
import {
  dataObject,
  entryList,
  type FieldReader,
  flag,
  optionalDate,
  optionalNumber,
  optionalString,
  requiredString,
  secretField,
  stringList,
  unreadField,
} from "./fields.js";
import { isRecord } from "./store-file.js";

/** `auth/const.py`: the built-in admin group. */
export const GROUP_ID_ADMIN = "system-admin";

const TOKEN_TYPES = ["normal", "system", "long_lived_access_token"] as const satisfies readonly TokenType[];

/**
 * `.storage/auth` version 1, as `auth/auth_store.py` writes and loads it. Strict: a field not listed here is
 * reported as unexpected (another Home Assistant version wrote the file).
 */
const authData = z.strictObject({
  users: entryList,
  groups: entryList,
  credentials: entryList,
  refresh_tokens: entryList,
});
const groupEntry = z.strictObject({ id: requiredString, name: optionalString, policy: unreadField });
const credentialEntry = z.strictObject({
  id: requiredString,
  user_id: requiredString,
  auth_provider_type: requiredString,
  auth_provider_id: optionalString,
  // only the login name is kept (`homeassistant` credentials: `{"username": ...}`)
  data: z
    .unknown()
    .transform((data) => (isRecord(data) && typeof data.username === "string" ? data.username : undefined)),
});
const userEntry = z.strictObject({
  id: requiredString,
  group_ids: stringList,
  is_owner: flag(false),
  is_active: flag(false),
  name: optionalString,
  system_generated: flag(false),
  local_only: flag(false),
});
const tokenEntry = z.strictObject({
  id: requiredString,
  user_id: requiredString,
  client_id: optionalString,
  client_name: optionalString,
  client_icon: unreadField,
  token_type: z.enum(TOKEN_TYPES, { error: "is not a known token type; skipped" }).nullish(),
  created_at: optionalDate,
  access_token_expiration: optionalNumber,
  // the secrets: only whether they are there is read, never their value
  token: secretField,
  jwt_key: secretField,
  last_used_at: optionalDate,
  last_used_ip: optionalString,
  expire_at: optionalNumber,
  credential_id: optionalString,
  version: optionalString,
});

/**
 * Parses the `data` of `.storage/auth` (version 1) the way `auth/auth_store.py` loads it, keeping every
 * field a check needs and none of the secrets (`token`, `jwt_key`). Users start without MFA modules or
 * person names; the reader fills those in from the other stores.
 */
export function parseAuth(data: unknown, reader: FieldReader): StorageAuth | undefined {
  const object = dataObject(data, reader);
  const lists = object === undefined ? undefined : reader.read(authData, object, "data");
  if (lists === undefined) return undefined;

  const groups: StorageGroup[] = reader
    .entries(lists.groups, "groups", groupEntry)
    .map(({ entry }) => ({ id: entry.id, name: entry.name }));

  const credentials: StorageCredential[] = reader
    .entries(lists.credentials, "credentials", credentialEntry)
    .map(({ entry: raw }) => ({
      id: raw.id,
      userId: raw.user_id,
      providerType: raw.auth_provider_type,
      providerId: raw.auth_provider_id,
      ...(raw.data === undefined ? {} : { username: raw.data }),
    }));

  const users: StorageUser[] = reader.entries(lists.users, "users", userEntry).map(({ entry: raw }) => {
    const own = credentials.filter((credential) => credential.userId === raw.id);
    return {
      id: raw.id,
      name: raw.name,
      groupIds: raw.group_ids,
      isOwner: raw.is_owner,
      isActive: raw.is_active,
      systemGenerated: raw.system_generated,
      localOnly: raw.local_only,
      // auth/models.py: `is_admin` is owner, or active and in the admin group.
      isAdmin: raw.is_owner || (raw.is_active && raw.group_ids.includes(GROUP_ID_ADMIN)),
      usernames: own.flatMap((credential) =>
        credential.providerType === "homeassistant" && credential.username !== undefined ? [credential.username] : [],
      ),
      credentialTypes: [...new Set(own.map((credential) => credential.providerType))],
      mfaModules: [],
    };
  });

  const userIds = new Set(users.map((user) => user.id));
  const refreshTokens: StorageRefreshToken[] = [];
  for (const { entry, where } of reader.entries(lists.refresh_tokens, "refresh_tokens", tokenEntry)) {
    const token = tokenOf(entry);
    if (token === undefined) continue;
    if (!userIds.has(token.userId)) {
      reader.problems.push(`${where}: belongs to a user that is not in \`users\`; skipped`);
      continue;
    }
    refreshTokens.push(token);
  }
  return { users, groups, credentials, refreshTokens };
}

/** A refresh token as Home Assistant loads it, or undefined for one it drops. */
function tokenOf(raw: z.output<typeof tokenEntry>): StorageRefreshToken | undefined {
  // auth_store.py: tokens without a jwt_key (written before 0.76) are dropped on load; they cannot be used.
  if (!raw.jwt_key) return undefined;
  // auth_store.py: a missing type loads as "system" without a client, "normal" with one.
  const tokenType = raw.token_type ?? (raw.client_id === null ? "system" : "normal");
  const token: StorageRefreshToken = {
    id: raw.id,
    userId: raw.user_id,
    tokenType,
    clientId: raw.client_id,
    clientName: raw.client_name,
    lastUsedIp: raw.last_used_ip,
    expireAt: raw.expire_at === null ? null : new Date(raw.expire_at * 1000),
    credentialId: raw.credential_id,
    haVersion: raw.version,
  };
  if (raw.created_at !== undefined) token.createdAt = raw.created_at;
  if (raw.last_used_at !== undefined) token.lastUsedAt = raw.last_used_at;
  if (raw.access_token_expiration !== null) token.accessTokenExpirationSeconds = raw.access_token_expiration;
  return token;
}
