import type { Severity } from "./severity.js";

/** A place in the configuration directory; path relative to it, 1-based line and column. */
export interface FileLocation {
  file: string;
  line?: number;
  column?: number;
}
/** A port on a scanned host. */
export interface NetworkLocation {
  host: string;
  port: number;
  protocol: "tcp" | "udp";
}
export interface UrlLocation {
  url: string;
}
/** A Home Assistant user (by name, never by password or token). */
export interface UserLocation {
  user: string;
}
export type Location = FileLocation | NetworkLocation | UrlLocation | UserLocation;

/**
 * Which item of the community's security checklists (shared seeds) a finding serves, so an owner
 * following a guide can see where each result fits.
 */
export const CHECKLIST_ITEMS = {
  password: "Strong and unique passwords",
  mfa: "Multi-factor authentication for every user",
  users: "Few administrators, no forgotten accounts",
  tokens: "No forgotten or never-expiring tokens",
  "ip-ban": "IP filtering and banning after failed logins",
  notify: "Get notified of failed login attempts",
  tls: "Encrypt traffic (TLS)",
  "reverse-proxy": "Reverse proxy set up correctly",
  secrets: "Secrets kept out of configuration files",
  "public-files": "Nothing private in www/ (served without login)",
  privacy: "No personal information in shared configuration",
  updates: "Keep Home Assistant up to date",
  ports: "Open only the ports you need",
  "remote-access": "Remote access without exposing services",
  backups: "Backups kept private",
} as const;
export type ChecklistItem = keyof typeof CHECKLIST_ITEMS;

/**
 * Another place one problem was seen: through another source by the same check (the version in `.HA_VERSION`
 * and in the WebSocket greeting), or by another check that declared the same `problem`.
 */
export interface Sighting {
  /** The check that saw it. */
  id: string;
  message: string;
  location?: Location;
  /** Already masked: never a secret value. */
  evidence?: string;
}

/** What a check returns: a finding without the fields the registry fills in from the check's metadata. */
export interface FindingDraft {
  /** Defaults to the check's own severity. */
  severity?: Severity;
  /** Defaults to the check's title. */
  title?: string;
  message: string;
  location?: Location;
  /** Already masked: never a secret value. */
  evidence?: string;
  /** Defaults to the check's remediation. */
  remediation?: string;
  fixable?: boolean;
  /**
   * The problem's identity beyond this check (see src/model/problems.ts): findings of any checks with the
   * same key are one problem, reported once with every sighting. Leave it out when no other check or source
   * can see the same thing.
   */
  problem?: string;
  /** The same problem seen through other sources this check read (the engine adds the check's id). */
  alsoSeen?: Omit<Sighting, "id">[];
}

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  message: string;
  location?: Location;
  evidence?: string;
  remediation: string;
  checklist: ChecklistItem;
  fixable: boolean;
  docs: string;
  /** See FindingDraft.problem. */
  problem?: string;
  /** Every other place the same problem was seen, each with its own evidence; absent when seen once. */
  alsoSeen?: Sighting[];
}

export function isFileLocation(location: Location | undefined): location is FileLocation {
  return location !== undefined && "file" in location;
}
export function isNetworkLocation(location: Location | undefined): location is NetworkLocation {
  return location !== undefined && "host" in location && "port" in location;
}

/** `file:line:col`, `host:port/tcp`, the URL or `user NAME`: one line that says where. */
export function formatLocation(location: Location | undefined): string {
  if (location === undefined) return "";
  if ("file" in location) {
    const line = location.line === undefined ? "" : `:${location.line}`;
    const column = location.line !== undefined && location.column !== undefined ? `:${location.column}` : "";
    return `${location.file}${line}${column}`;
  }
  if ("port" in location) {
    const host = location.host.includes(":") ? `[${location.host}]` : location.host;
    return `${host}:${location.port}/${location.protocol}`;
  }
  if ("url" in location) return location.url;
  return `user ${location.user}`;
}
