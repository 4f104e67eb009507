import type {
  StorageAuth,
  StorageCredential,
  StorageGroup,
  StorageRefreshToken,
  StorageUser,
  TokenType,
} from "../../model/storage-facts.js";
import type { FieldReader } from "./fields.js";
import { isRecord } from "./store-file.js";

/** `auth/const.py`: the built-in admin group. */
export const GROUP_ID_ADMIN = "system-admin";

const USER_FIELDS = ["id", "group_ids", "is_owner", "is_active", "name", "system_generated", "local_only"] as const;
const GROUP_FIELDS = ["id", "name", "policy"] as const;
const CREDENTIAL_FIELDS = ["id", "user_id", "auth_provider_type", "auth_provider_id", "data"] as const;
const TOKEN_FIELDS = [
  "id",
  "user_id",
  "client_id",
  "client_name",
  "client_icon",
  "token_type",
  "created_at",
  "access_token_expiration",
  "token",
  "jwt_key",
  "last_used_at",
  "last_used_ip",
  "expire_at",
  "credential_id",
  "version",
] as const;
const TOKEN_TYPES: readonly TokenType[] = ["normal", "system", "long_lived_access_token"];

/**
 * Parses the `data` of `.storage/auth` (version 1) the way `auth/auth_store.py` loads it, keeping every
 * field a check needs and none of the secrets (`token`, `jwt_key`). Users start without MFA modules or
 * person names; the reader fills those in from the other stores.
 */
export function parseAuth(data: unknown, reader: FieldReader): StorageAuth | undefined {
  if (!isRecord(data)) {
    reader.problems.push("`data` is not an object");
    return undefined;
  }
  reader.noteUnknown(data, ["users", "groups", "credentials", "refresh_tokens"], "data");

  const groups: StorageGroup[] = [];
  for (const [index, raw] of reader.objectList(data, "groups", "data").entries()) {
    const where = `groups[${index}]`;
    reader.noteUnknown(raw, GROUP_FIELDS, "groups");
    const id = reader.string(raw, "id", where);
    if (id !== undefined) groups.push({ id, name: reader.optionalString(raw, "name", where) });
  }

  const credentials: StorageCredential[] = [];
  for (const [index, raw] of reader.objectList(data, "credentials", "data").entries()) {
    const where = `credentials[${index}]`;
    reader.noteUnknown(raw, CREDENTIAL_FIELDS, "credentials");
    const id = reader.string(raw, "id", where);
    const userId = reader.string(raw, "user_id", where);
    const providerType = reader.string(raw, "auth_provider_type", where);
    if (id === undefined || userId === undefined || providerType === undefined) continue;
    const credential: StorageCredential = {
      id,
      userId,
      providerType,
      providerId: reader.optionalString(raw, "auth_provider_id", where),
    };
    const username = isRecord(raw.data) ? raw.data.username : undefined;
    if (typeof username === "string") credential.username = username;
    credentials.push(credential);
  }

  const users: StorageUser[] = [];
  for (const [index, raw] of reader.objectList(data, "users", "data").entries()) {
    const where = `users[${index}]`;
    reader.noteUnknown(raw, USER_FIELDS, "users");
    const id = reader.string(raw, "id", where);
    if (id === undefined) continue;
    const groupIds = reader.stringList(raw, "group_ids", where);
    const isOwner = reader.boolean(raw, "is_owner", where, false);
    const isActive = reader.boolean(raw, "is_active", where, false);
    const own = credentials.filter((credential) => credential.userId === id);
    users.push({
      id,
      name: reader.optionalString(raw, "name", where),
      groupIds,
      isOwner,
      isActive,
      systemGenerated: reader.boolean(raw, "system_generated", where, false),
      localOnly: reader.boolean(raw, "local_only", where, false),
      // auth/models.py: `is_admin` is owner, or active and in the admin group.
      isAdmin: isOwner || (isActive && groupIds.includes(GROUP_ID_ADMIN)),
      usernames: own.flatMap((credential) =>
        credential.providerType === "homeassistant" && credential.username !== undefined ? [credential.username] : [],
      ),
      credentialTypes: [...new Set(own.map((credential) => credential.providerType))],
      mfaModules: [],
    });
  }

  const userIds = new Set(users.map((user) => user.id));
  const refreshTokens: StorageRefreshToken[] = [];
  for (const [index, raw] of reader.objectList(data, "refresh_tokens", "data").entries()) {
    const token = parseToken(raw, `refresh_tokens[${index}]`, reader);
    if (token === undefined) continue;
    if (!userIds.has(token.userId)) {
      reader.problems.push(`refresh_tokens[${index}]: belongs to a user that is not in \`users\`; skipped`);
      continue;
    }
    refreshTokens.push(token);
  }
  return { users, groups, credentials, refreshTokens };
}

function parseToken(raw: Record<string, unknown>, where: string, reader: FieldReader): StorageRefreshToken | undefined {
  reader.noteUnknown(raw, TOKEN_FIELDS, "refresh_tokens");
  const id = reader.string(raw, "id", where);
  const userId = reader.string(raw, "user_id", where);
  if (id === undefined || userId === undefined) return undefined;
  // auth_store.py: tokens without a jwt_key (written before 0.76) are dropped on load; they cannot be used.
  if (typeof raw.jwt_key !== "string" || raw.jwt_key.length === 0) return undefined;
  const clientId = reader.optionalString(raw, "client_id", where);
  const rawType = raw.token_type;
  let tokenType: TokenType;
  if (rawType === undefined || rawType === null) {
    // auth_store.py: a missing type loads as "system" without a client, "normal" with one.
    tokenType = clientId === null ? "system" : "normal";
  } else if (typeof rawType === "string" && (TOKEN_TYPES as readonly string[]).includes(rawType)) {
    tokenType = rawType as TokenType;
  } else {
    reader.problems.push(`${where}: unknown \`token_type\`; skipped`);
    return undefined;
  }
  const expireSeconds = reader.optionalNumber(raw, "expire_at", where);
  const token: StorageRefreshToken = {
    id,
    userId,
    tokenType,
    clientId,
    clientName: reader.optionalString(raw, "client_name", where),
    lastUsedIp: reader.optionalString(raw, "last_used_ip", where),
    expireAt: expireSeconds === null ? null : new Date(expireSeconds * 1000),
    credentialId: reader.optionalString(raw, "credential_id", where),
    haVersion: reader.optionalString(raw, "version", where),
  };
  const createdAt = reader.optionalDate(raw, "created_at", where);
  if (createdAt !== undefined) token.createdAt = createdAt;
  const lastUsedAt = reader.optionalDate(raw, "last_used_at", where);
  if (lastUsedAt !== undefined) token.lastUsedAt = lastUsedAt;
  const accessExpiration = reader.optionalNumber(raw, "access_token_expiration", where);
  if (accessExpiration !== null) token.accessTokenExpirationSeconds = accessExpiration;
  return token;
}
