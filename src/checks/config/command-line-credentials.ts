import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import { maskSecret } from "../../model/mask.js";
import { asList, get, isMap, scalarString } from "../../model/yaml-node.js";
import { type CredentialKind, findCredentialShapes, fingerprintOf, type ValueMatch } from "./credential-shapes.js";
import { normalizeKey } from "./key-names.js";
import { isPlaceholder } from "./placeholder-values.js";

/*
 * Credentials typed into command lines: `curl -u user:pass`, `--password=…`, `mysql -p…`, `sshpass -p …`,
 * `mosquitto_pub -P …`, `smbclient -U user%pass`, `redis-cli -a …` and `Authorization:` headers, as they appear in
 * `shell_command`, `command_line` sensors, switches and notifiers, and shell scripts beside the configuration.
 * Values built at run time (`$(cat /config/.pw)`, `$PASS`, `${TOKEN}`, `` `…` ``, templates) are no credential.
 * Every pattern is anchored on a fixed option and bounded in length, so a long line cannot make one backtrack.
 */

/** Words a command line with a credential contains: a cheap test before the patterns run. */
const COMMAND_HINT =
  /curl|wget|mysql|mariadb|sshpass|mosquitto_|smbclient|redis-cli|--pass|--token|--api|--secret|--client-secret|--auth|authorization|api-?key|password=/i;

export function mayHoldCommandCredential(text: string): boolean {
  return COMMAND_HINT.test(text);
}

interface Pattern {
  /** Only where this command is on the line (the same flag means something else elsewhere). */
  command?: RegExp;
  pattern: RegExp;
  kind: CredentialKind | ((match: RegExpExecArray) => CredentialKind);
  /** Which capture group holds the secret. */
  secret: number;
  /** The masked evidence. */
  evidence: (match: RegExpExecArray, masked: string) => string;
  /** Words for the message (default: "in a command line"). */
  detail?: string;
}

const VALUE = `(["']?)([^\\s"']{1,256})`;
const PATTERNS: Pattern[] = [
  {
    command: /\bcurl\b/,
    pattern: /(?:^|[\s;|&(])(-u\s*|--user[\s=]+)(["']?)([^\s"':]{1,128}):([^\s"']{1,256})\2/g,
    kind: "password",
    secret: 4,
    evidence: (m, masked) => `curl -u ${m[3]}:${masked}`,
  },
  {
    pattern: new RegExp(
      `(?:^|\\s)--(password|passwd|pass|http-password|ftp-password|proxy-password|api-?key|apikey|token|auth-token|access-token|secret|client-secret)(?:=|\\s+)${VALUE}\\2`,
      "gi",
    ),
    kind: (m) => optionKind(m[1] ?? ""),
    secret: 3,
    evidence: (m, masked) => `--${m[1]}=${masked}`,
  },
  {
    command: /\b(mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b/,
    pattern: /(?:^|\s)-p(["']?)([^\s"'-][^\s"']{3,255})\1/g,
    kind: "password",
    secret: 2,
    evidence: (_m, masked) => `mysql -p${masked}`,
  },
  {
    pattern: new RegExp(`\\bsshpass\\s+-p\\s*${VALUE}\\1`, "g"),
    kind: "password",
    secret: 2,
    evidence: (_m, masked) => `sshpass -p ${masked}`,
  },
  {
    command: /\bmosquitto_(pub|sub|rr)\b/,
    pattern: new RegExp(`(?:^|\\s)-P\\s+${VALUE}\\1`, "g"),
    kind: "password",
    secret: 2,
    evidence: (_m, masked) => `mosquitto -P ${masked}`,
  },
  {
    command: /\bredis-cli\b/,
    pattern: new RegExp(`(?:^|\\s)-a\\s+${VALUE}\\1`, "g"),
    kind: "password",
    secret: 2,
    evidence: (_m, masked) => `redis-cli -a ${masked}`,
  },
  {
    command: /\b(smbclient|smbget|rpcclient)\b/,
    pattern: /(?:^|\s)-U\s*(["']?)([^\s"'%]{1,128})%([^\s"']{1,256})\1/g,
    kind: "password",
    secret: 3,
    evidence: (m, masked) => `-U ${m[2]}%${masked}`,
  },
  {
    // `mount -t cifs -o username=x,password=y`, `?password=` in a URL the command fetches
    pattern: /(?:^|[\s,;?&])(password|passwd|pass|pwd)=([^\s,;"'&]{1,256})/gi,
    kind: "password",
    secret: 2,
    evidence: (m, masked) => `${m[1]}=${masked}`,
    detail: "a `password=` option or URL parameter",
  },
  {
    pattern: /\bauthorization:\s*(bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,2048})/gi,
    kind: "Authorization header",
    secret: 2,
    evidence: (m, masked) => `Authorization: ${m[1]} ${masked}`,
  },
  {
    pattern: /\b(x-api-key|x-auth-token|api-key|apikey|x-ha-access):\s*([^\s"']{8,512})/gi,
    kind: (m) => optionKind(m[1] ?? ""),
    secret: 2,
    evidence: (m, masked) => `${m[1]}: ${masked}`,
  },
];

function optionKind(option: string): CredentialKind {
  const name = normalizeKey(option);
  if (/token|access/.test(name)) return "token";
  if (/api_?key|apikey/.test(name)) return "api key";
  if (/secret/.test(name)) return "client secret";
  return "password";
}

/** A value the command builds at run time or a placeholder: no credential is written there. */
function isBuiltAtRunTime(value: string): boolean {
  return isPlaceholder(value) || /^[$`%]|\$\(|\$\{|\{\{|^-/.test(value) || value === "-";
}

/**
 * Every credential in a command line (or a script's text: each match is judged on its own line), with the
 * offset where the secret starts and masked evidence. JWTs and URL passwords are left to findCredentialShapes.
 */
export function findCommandLineCredentials(text: string): ValueMatch[] {
  if (!mayHoldCommandCredential(text)) return [];
  const found: ValueMatch[] = [];
  const seen = new Set<number>();
  for (const { command, pattern, kind, secret, evidence, detail } of PATTERNS) {
    if (command !== undefined && !command.test(text)) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const value = m[secret] ?? "";
      const index = m.index + m[0].lastIndexOf(value);
      if (seen.has(index) || isBuiltAtRunTime(value) || findCredentialShapes(value).length > 0) continue;
      seen.add(index);
      found.push({
        kind: typeof kind === "function" ? kind(m) : kind,
        index,
        evidence: evidence(m, maskSecret(value)),
        severity: "high",
        detail: detail ?? "in a command line",
        fingerprint: fingerprintOf(value),
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * Scripts in the configuration folder that Home Assistant runs (`shell_command`, `command_line`), by
 * config-relative path, with the setting that runs each: a credential in them is live.
 */
export function scriptsRunByHomeAssistant(config: ConfigFacts): Map<string, string> {
  let scripts = scriptMemo.get(config);
  if (scripts === undefined) {
    scripts = findScripts(config);
    scriptMemo.set(config, scripts);
  }
  return scripts;
}

const scriptMemo = new WeakMap<ConfigFacts, Map<string, string>>();

function findScripts(config: ConfigFacts): Map<string, string> {
  const scripts = new Map<string, string>();
  const note = (command: string | undefined, by: string) => {
    for (const m of (command ?? "").matchAll(/(?:^|[\s'"=])((?:\/config\/)?[\w./-]{1,200}\.(?:sh|bash|py))\b/g)) {
      const file = path.posix.normalize((m[1] ?? "").replace(/^\/config\//, ""));
      if (!file.startsWith("../") && config.texts.has(file) && !scripts.has(file)) scripts.set(file, by);
    }
  };
  const shell = get(config.merged, "shell_command");
  if (isMap(shell)) for (const entry of shell.entries) note(scalarString(entry.value), `shell_command.${entry.key}`);
  for (const item of asList(get(config.merged, "command_line"))) {
    if (!isMap(item)) continue;
    for (const platform of item.entries) {
      for (const key of ["command", "command_on", "command_off", "command_state", "command_open", "command_close"]) {
        note(scalarString(get(platform.value, key)), `command_line ${platform.key}`);
      }
    }
  }
  return scripts;
}
