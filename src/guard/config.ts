import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseNetwork } from "./address.js";

/**
 * `guard.yaml`: one zod schema gives the types and the validation (STYLE.md: no hand-kept types beside a
 * hand-written schema). Precedence: defaults < guard.yaml < environment (HASSGUARD_GUARD_*) < flags.
 */

const cidr = z.string().refine((text) => parseNetwork(text) !== null, { message: "not an IP address or CIDR network" });
const backendSpec = z
  .string()
  .regex(/^(nftables|dry-run|ip-bans=.+)$/, { message: "expected nftables, dry-run or ip-bans=PATH" });
const seconds = z.number().int().positive();

export const guardConfigSchema = z
  .object({
    /** Where the log comes from; auto picks supervisor (SUPERVISOR_TOKEN), else the file, else the journal. */
    source: z.enum(["auto", "file", "journal", "supervisor", "stdin"]).default("auto"),
    log: z.string().min(1).default("/config/home-assistant.log"),
    /**
     * journalctl matches (the same field twice means either): `SYSLOG_IDENTIFIER=homeassistant` on Home
     * Assistant OS, `hass` for a Core install run by systemd (`hass[pid]:`).
     */
    journalMatch: z
      .array(z.string().regex(/^[A-Z0-9_]+=.*$/))
      .default(["SYSLOG_IDENTIFIER=homeassistant", "SYSLOG_IDENTIFIER=hass"]),
    /** Extra journalctl arguments, e.g. ["--directory", "/var/log/journal"] for an add-on's read-only journal. */
    journalArgs: z.array(z.string()).default([]),
    supervisorUrl: z.string().url().default("http://supervisor"),
    maxRetry: z.number().int().min(1).default(5),
    maxTokenRetry: z.number().int().min(1).default(20),
    /**
     * Wrong passwords/MFA codes within findTime from at least two addresses of one IPv6 /64 that ban the whole
     * /64 (an attacker rotating through its prefix); 0 turns prefix bans off. A /64 holding an allow-listed
     * address, a trusted proxy or this machine's own network is never banned whole.
     */
    maxPrefixRetry: z
      .number()
      .int()
      .min(0)
      .default(10)
      .describe(
        "Wrong passwords/MFA codes within findTime from at least two addresses of one IPv6 /64 that ban the whole /64; 0 turns prefix bans off. A /64 holding an allow-listed address, a trusted proxy or this machine's own network is never banned whole.",
      ),
    findTime: seconds.default(600),
    banTime: seconds.default(3600),
    banTimeFactor: z.number().min(1).max(100).default(2),
    maxBanTime: seconds.default(7 * 24 * 3600),
    /** Never banned, besides loopback which is always allowed. */
    allow: z.array(cidr).default([]),
    /** The reverse proxies in front of Home Assistant (same as http: trusted_proxies). */
    trustedProxies: z.array(cidr).default([]),
    /** Home Assistant never bans the Supervisor; neither does the guard. */
    supervisorAddress: z
      .string()
      .refine((text) => parseNetwork(text) !== null)
      .default("172.30.32.2"),
    backends: z.array(backendSpec).default(["dry-run"]),
    store: z.string().min(1).default("hassguard-guard.sqlite"),
    /** The control socket (`guard unban`/`bans`/`status`, the console); default: beside the store, `.sock`. */
    controlSocket: z.string().min(1).optional(),
    /**
     * Home Assistant's `ip_bans.yaml`, which an unban clears whoever wrote it. Default: the `ip-bans=PATH`
     * backend's file, else `ip_bans.yaml` beside `log` when it exists there.
     */
    ipBansFile: z.string().min(1).optional(),
    /** Home Assistant's own threshold (http: login_attempts_threshold), for `guard check`'s comparison. */
    haThreshold: z.number().int().default(-1),
    notify: z
      .object({
        homeAssistant: z
          .object({
            url: z.string().url(),
            /** A long-lived access token (masked in every output). */
            token: z.string().min(1),
            /** `notify.mobile_app_phone`; without it a persistent notification is created. */
            service: z
              .string()
              .regex(/^[a-z0-9_]+\.[a-z0-9_]+$/)
              .optional(),
          })
          .strict()
          .optional(),
        webhook: z.object({ url: z.string().url() }).strict().optional(),
        /** At most this many notifications an hour; the rest are summed up in the next one. */
        maxPerHour: z.number().int().min(1).default(20),
      })
      .strict()
      .default({ maxPerHour: 20 }),
    mqtt: z
      .object({
        url: z.string().regex(/^mqtts?:\/\/|^wss?:\/\//),
        username: z.string().optional(),
        password: z.string().optional(),
        discoveryPrefix: z.string().default("homeassistant"),
        baseTopic: z.string().default("hassguard"),
      })
      .strict()
      .optional(),
  })
  .strict();

export type GuardConfig = z.infer<typeof guardConfigSchema>;
/** What a guard.yaml, the environment or the flags may set (before defaults). */
export type GuardConfigInput = z.input<typeof guardConfigSchema>;

/** A guard.yaml or flag value that does not fit: says where and what. */
export class GuardConfigError extends Error {
  override name = "GuardConfigError";
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown, key: PropertyKey | undefined): string {
  if (value === undefined) return "(missing)";
  if (typeof key === "string" && /token|password/i.test(key)) return "(hidden)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Validates merged settings; throws GuardConfigError listing every problem as `path: message (got value)`. */
export function validateGuardConfig(data: unknown, origin: string): Readonly<GuardConfig> {
  const result = guardConfigSchema.safeParse(data);
  if (result.success) return Object.freeze(result.data);
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    const value = valueAt(data, issue.path);
    return `  ${path}: ${issue.message} (got ${describeValue(value, issue.path.at(-1))})`;
  });
  throw new GuardConfigError(`invalid guard settings in ${origin}:\n${lines.join("\n")}`);
}

/** Reads guard.yaml (a mapping); a missing file is an error only when the owner named it. */
export function readGuardYaml(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new GuardConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new GuardConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data))
    throw new GuardConfigError(`${path}: expected a mapping of settings`);
  return data as Record<string, unknown>;
}

const NUMBER_KEYS = [
  "maxRetry",
  "maxTokenRetry",
  "maxPrefixRetry",
  "findTime",
  "banTime",
  "banTimeFactor",
  "maxBanTime",
  "haThreshold",
];
const LIST_KEYS = ["allow", "trustedProxies", "backends", "journalMatch"];
const STRING_KEYS = ["source", "log", "store", "supervisorUrl", "supervisorAddress", "controlSocket", "ipBansFile"];

function envName(key: string): string {
  return `HASSGUARD_GUARD_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Settings from HASSGUARD_GUARD_MAX_RETRY, HASSGUARD_GUARD_ALLOW (comma-separated), … */
export function guardEnvOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of NUMBER_KEYS) {
    const text = env[envName(key)];
    // a non-number stays a string so the schema reports it with its name and value
    if (text !== undefined) out[key] = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
  }
  for (const key of LIST_KEYS) {
    const text = env[envName(key)];
    if (text !== undefined)
      out[key] = text
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
  }
  for (const key of STRING_KEYS) {
    const text = env[envName(key)];
    if (text !== undefined) out[key] = text;
  }
  // secrets are best kept out of guard.yaml and out of the process list (flags): the environment
  for (const [variable, path] of NESTED_ENV) {
    const text = env[variable];
    if (text !== undefined) setPath(out, path, text);
  }
  return out;
}

/** Nested settings from the environment (tokens and passwords first of all). */
const NESTED_ENV: [string, string[]][] = [
  ["HASSGUARD_GUARD_HA_URL", ["notify", "homeAssistant", "url"]],
  ["HASSGUARD_GUARD_HA_TOKEN", ["notify", "homeAssistant", "token"]],
  ["HASSGUARD_GUARD_HA_NOTIFY_SERVICE", ["notify", "homeAssistant", "service"]],
  ["HASSGUARD_GUARD_WEBHOOK_URL", ["notify", "webhook", "url"]],
  ["HASSGUARD_GUARD_MQTT_URL", ["mqtt", "url"]],
  ["HASSGUARD_GUARD_MQTT_USERNAME", ["mqtt", "username"]],
  ["HASSGUARD_GUARD_MQTT_PASSWORD", ["mqtt", "password"]],
];

/** Sets a nested value, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  });
}

/** The environment variable that sets a setting (for help texts and errors). */
export const guardEnvVariable = envName;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Merges layers: later wins, mappings merge key by key (`notify.homeAssistant.token` alone), undefined is skipped. */
export function mergeGuardSettings(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const existing = merged[key];
      merged[key] = isPlainObject(existing) && isPlainObject(value) ? mergeGuardSettings(existing, value) : value;
    }
  }
  return merged;
}

/** guard.yaml's JSON Schema, derived from the same zod schema (for editors and the docs). */
export function guardConfigJsonSchema(): unknown {
  return z.toJSONSchema(guardConfigSchema, { io: "input" });
}
