import { basename, dirname, extname, join } from "node:path";
import { z } from "zod";
import { banTarget, parseNetwork } from "../address.js";
import type { BackendOutcome } from "../ban-manager.js";
import type { BanView } from "../ban-view.js";
import type { GuardStats } from "../bus.js";
import type { HomeAssistantUnbanReport } from "../ha-unban.js";

/**
 * The guard's local control channel: one JSON request per connection on a Unix socket, one JSON answer,
 * each a single line. Requests are small and checked here (zod) before anything acts on them; answers come
 * from the guard itself (the socket is its owner's only) and are bounded in size too.
 */

export const MAX_REQUEST_BYTES = 4096;
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** A Unix socket's path must fit `sun_path` (108 bytes with its terminating NUL on Linux). */
export const MAX_SOCKET_PATH_BYTES = 107;

/** A short text that `parse` turns into its canonical form, or an error with `message`. */
const canonical = (parse: (text: string) => string | null, message: string) =>
  z
    .string()
    .max(64)
    .transform((text, context) => {
      const value = parse(text);
      if (value !== null) return value;
      context.addIssue({ code: "custom", message });
      return z.NEVER;
    });

// an address, or an IPv6 /64 the guard banned whole
const address = canonical(banTarget, "not an IP address (or a banned IPv6 /64)");
const network = canonical((text) => parseNetwork(text)?.text ?? null, "not an IP address or CIDR network");

export const controlRequestSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("status") }).strict(),
  z.object({ op: z.literal("bans"), limit: z.number().int().min(1).max(100_000).default(1000) }).strict(),
  z.object({ op: z.literal("unban"), address, restartHa: z.boolean().default(false) }).strict(),
  z
    .object({
      op: z.literal("ban"),
      address,
      seconds: z
        .number()
        .int()
        .min(1)
        .max(365 * 24 * 3600)
        .optional(),
    })
    .strict(),
  z.object({ op: z.literal("allow"), network }).strict(),
]);

export type ControlRequest = z.input<typeof controlRequestSchema>;
export type ParsedControlRequest = z.output<typeof controlRequestSchema>;

export interface PartState {
  name: string;
  running: boolean;
  /** Why a part was left out. */
  error?: string;
}

export interface StatusResult {
  pid: number;
  version: string;
  startedAt: string;
  store: string;
  controlSocket: string;
  parts: PartState[];
  stats: GuardStats | null;
  activeBans: number;
  /** Networks the owner allowed at run time (besides guard.yaml's `allow`). */
  allowed: string[];
}

export interface BansResult {
  total: number;
  bans: BanView[];
}

export interface UnbanResult {
  address: string;
  wasBanned: boolean;
  backends: BackendOutcome[];
  homeAssistant: HomeAssistantUnbanReport;
}

export interface BanResult {
  address: string;
  added: boolean;
  expiresAt: string;
  backends: BackendOutcome[];
}

export interface AllowResult {
  network: string;
  /** Bans lifted because their address is inside the network. */
  lifted: string[];
}

export interface ControlResults {
  status: StatusResult;
  bans: BansResult;
  unban: UnbanResult;
  ban: BanResult;
  allow: AllowResult;
}

/** What the running guard does for each request (implemented by OwnerActions). */
export interface GuardControl {
  status(): Promise<StatusResult>;
  bans(limit: number): Promise<BansResult>;
  unban(address: string, options: { restartHa: boolean }): Promise<UnbanResult>;
  ban(address: string, seconds: number | undefined): Promise<BanResult>;
  allow(network: string): Promise<AllowResult>;
}

export const controlResponseSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({ ok: z.literal(false), error: z.string().max(2000) }),
]);

export type ControlResponse = z.infer<typeof controlResponseSchema>;

/**
 * The socket beside the store (`/data/hassguard-guard.sqlite` → `/data/hassguard-guard.sock`): one guard per
 * store, so one socket per store, found by every command that is given the same settings.
 */
export function defaultControlSocket(store: string): string {
  const extension = extname(store);
  const stem = extension === ".sqlite" || extension === ".db" ? basename(store, extension) : basename(store);
  return join(dirname(store), `${stem}.sock`);
}
