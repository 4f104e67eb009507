import type { Command } from "commander";
import { banTarget } from "../../guard/address.js";
import type { BanView } from "../../guard/ban-view.js";
import type { GuardConfig } from "../../guard/config.js";
import type { BansResult, StatusResult, UnbanResult } from "../../guard/control/protocol.js";
import { EXIT_FINDINGS, UsageError } from "../exit.js";
import { collect, resolveGuardConfig, type SettingsFlags, say } from "./guard.js";

/**
 * `guard bans`, `guard unban`, `guard status`: they ask the running guard over its control socket; when no
 * guard runs, `bans` and `unban` work on the store and the backends directly and say so on stderr.
 */

// loaded only when one of these commands runs (SQLite, the backends)
const loadClient = () => import("../../guard/control/client.js");
const loadOffline = () => import("../../guard/control/offline.js");
const loadProtocol = () => import("../../guard/control/protocol.js");
const loadHaUnban = () => import("../../guard/ha-unban.js");

/** Bans listed at most (the soonest to expire first). */
const MAX_LISTED = 10_000;

interface ControlFlags extends SettingsFlags {
  format: string;
}

function checkFormat(format: string): "text" | "json" {
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not '${format}'`);
  return format;
}

async function socketOf(config: GuardConfig): Promise<string> {
  const { defaultControlSocket } = await loadProtocol();
  return config.controlSocket ?? defaultControlSocket(config.store);
}

function withControlFlags(command: Command): Command {
  return command
    .option("--config <file>", "guard.yaml (env: HASSGUARD_GUARD_CONFIG)")
    .option("--store <file>", "SQLite file of the guard")
    .option("--control-socket <path>", "the running guard's control socket (default: beside the store, .sock)")
    .option("--format <format>", "text|json", "text");
}

function banLine(ban: BanView): string {
  const held = ban.backends.length > 0 ? ban.backends.join(", ") : "no backend";
  const expired = ban.expired ? " (expired; lifted when the guard runs again, or with guard unban)" : "";
  return `${ban.address}  until ${ban.expiresAt}${expired}  ${ban.reason}  [${held}]`;
}

function statusText(status: StatusResult): string {
  const lines = [
    `guard running: pid ${status.pid}, version ${status.version}, since ${status.startedAt}`,
    `store ${status.store}, control socket ${status.controlSocket}`,
  ];
  for (const part of status.parts) {
    lines.push(`  ${part.running ? "running " : "LEFT OUT"}  ${part.name}${part.error ? `: ${part.error}` : ""}`);
  }
  const stats = status.stats;
  if (stats) {
    lines.push(
      `failed logins (24 h): ${stats.failures24h}; active bans: ${status.activeBans}; last attacker: ${stats.lastAttacker ?? "none"}; under attack: ${stats.underAttack ? "yes" : "no"}`,
    );
  } else lines.push(`active bans: ${status.activeBans}`);
  if (status.allowed.length > 0) lines.push(`allowed at run time: ${status.allowed.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

async function unbanText(result: UnbanResult, via: string): Promise<string> {
  const { describeHomeAssistantUnban } = await loadHaUnban();
  const lines = [
    result.wasBanned ? `unbanned ${result.address} (${via})` : `${result.address} was not banned by the guard (${via})`,
  ];
  for (const backend of result.backends) {
    if (!backend.ok) lines.push(`${backend.backend}: could not unban: ${backend.error ?? "unknown error"}`);
  }
  lines.push(...describeHomeAssistantUnban(result.homeAssistant));
  return `${lines.join("\n")}\n`;
}

/** Not fully restored: a backend failed, the file could not be edited, or Home Assistant keeps its ban. */
function accessRestored(result: UnbanResult): boolean {
  return (
    result.backends.every((backend) => backend.ok) &&
    result.homeAssistant.file?.outcome !== "failed" &&
    !result.homeAssistant.keepsBanUntilRestart
  );
}

export function registerGuardControl(guard: Command): void {
  withControlFlags(guard.command("bans").description("list the bans (from the running guard, else from the store)"))
    .option("--backend <backend>", "without a running guard: the backends to ask what they hold (repeatable)", collect)
    .action(async (flags: ControlFlags) => {
      const format = checkFormat(flags.format);
      const config = resolveGuardConfig(flags);
      const { askGuard } = await loadClient();
      const answer = await askGuard(await socketOf(config), { op: "bans", limit: MAX_LISTED });
      let result: BansResult;
      let from: string;
      if (answer.running) {
        result = answer.result;
        from = "running guard";
      } else {
        say(`${answer.why}: bans read from the store`);
        result = await (await loadOffline()).bansFromStore(config, say, MAX_LISTED);
        from = "store";
      }
      if (format === "json") process.stdout.write(`${JSON.stringify({ from, ...result }, null, 2)}\n`);
      else if (result.bans.length === 0) process.stdout.write("no active bans\n");
      else process.stdout.write(`${result.bans.map(banLine).join("\n")}\n`);
      if (result.total > result.bans.length) say(`${result.total - result.bans.length} more bans not listed`);
    });

  withControlFlags(
    guard
      .command("unban")
      .description("restore an address's access: the guard's bans and Home Assistant's own (ip_bans.yaml, http.unban)")
      .argument("<address>", "the banned address"),
  )
    .option("--backend <backend>", "without a running guard: nftables | ip-bans=PATH | dry-run (repeatable)", collect)
    .option("--ip-bans <file>", "Home Assistant's ip_bans.yaml (default: the ip-bans backend's, or beside --log)")
    .option("--log <file>", "Home Assistant's log (its ip_bans.yaml is looked for beside it)")
    .option("--ha-url <url>", "Home Assistant's URL, for http.unban and --restart-ha (token: HASSGUARD_GUARD_HA_TOKEN)")
    .option("--restart-ha", "restart Home Assistant when it would keep its ban until a restart (never by default)")
    .action(async (text: string, flags: ControlFlags & { restartHa?: boolean }) => {
      const format = checkFormat(flags.format);
      const address = banTarget(text);
      if (!address) throw new UsageError(`'${text}' is not an IP address or a banned IPv6 /64 (2001:db8:1:2::/64)`);
      const config = resolveGuardConfig(flags);
      const restartHa = flags.restartHa === true;
      const { askGuard } = await loadClient();
      const answer = await askGuard(await socketOf(config), { op: "unban", address, restartHa });
      let result: UnbanResult;
      let via: string;
      if (answer.running) {
        result = answer.result;
        via = "by the running guard";
        if (flags.ipBans || flags.backend)
          say("a guard is running: its own backends and ip_bans.yaml setting are used");
      } else {
        // a running guard restarts Home Assistant with its own settings; without one, this command needs them
        if (restartHa && !config.notify.homeAssistant) {
          throw new UsageError(
            "--restart-ha needs Home Assistant's URL (--ha-url) and token (HASSGUARD_GUARD_HA_TOKEN)",
          );
        }
        say(`${answer.why}: the store and the backends are changed directly`);
        result = await (await loadOffline()).unbanWithoutGuard(config, address, { restartHa }, say);
        via = "no guard running";
      }
      if (format === "json") process.stdout.write(`${JSON.stringify({ via, ...result }, null, 2)}\n`);
      else process.stdout.write(await unbanText(result, via));
      if (!accessRestored(result)) process.exitCode = EXIT_FINDINGS;
    });

  withControlFlags(
    guard.command("status").description("ask the running guard how it is (exit 1 when none runs)"),
  ).action(async (flags: ControlFlags) => {
    const format = checkFormat(flags.format);
    const config = resolveGuardConfig(flags);
    const { askGuard } = await loadClient();
    const answer = await askGuard(await socketOf(config), { op: "status" });
    if (format === "json") {
      const body = answer.running ? { running: true, ...answer.result } : { running: false, why: answer.why };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else process.stdout.write(answer.running ? statusText(answer.result) : `${answer.why}\n`);
    if (!answer.running) process.exitCode = EXIT_FINDINGS;
  });
}
