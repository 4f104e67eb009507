import { existsSync } from "node:fs";
import type { Command } from "commander";
import {
  type GuardConfig,
  GuardConfigError,
  guardConfigJsonSchema,
  guardEnvOverrides,
  mergeGuardSettings,
  readGuardYaml,
  validateGuardConfig,
} from "../../guard/config.js";

// the guard's heavier modules (SQLite, MQTT, the service itself) load only when a guard command runs, so
// every other hassguard command starts without them
const loadGuard = () => import("../../guard/guard.js");

import { UsageError } from "../exit.js";
import { VERSION } from "../version.js";
import { registerGuardControl } from "./guard-control.js";

/** `hassguard guard`: the long-running guard and its subcommands (issue 5). */

export interface SettingsFlags {
  config?: string;
  log?: string;
  source?: string;
  maxRetry?: string;
  maxTokenRetry?: string;
  maxPrefixRetry?: string;
  findTime?: string;
  banTime?: string;
  allow?: string[];
  trustedProxy?: string[];
  backend?: string[];
  store?: string;
  haThreshold?: string;
  haUrl?: string;
  haNotifyService?: string;
  webhook?: string;
  mqtt?: string;
  mqttUsername?: string;
  journalMatch?: string[];
  supervisorUrl?: string;
  controlSocket?: string;
  ipBans?: string;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

function addSettingsFlags(command: Command): Command {
  return command
    .option("--config <file>", "guard.yaml with the settings (env: HASSGUARD_GUARD_CONFIG)")
    .option("--log <file>", "Home Assistant's log file (home-assistant.log)")
    .option("--source <source>", "where the log comes from: auto|file|journal|supervisor|stdin")
    .option("--max-retry <n>", "wrong passwords/MFA codes within --find-time that ban")
    .option("--max-token-retry <n>", "stale-token failures within --find-time that ban")
    .option("--max-prefix-retry <n>", "wrong passwords from 2+ addresses of one IPv6 /64 that ban the /64 (0: off)")
    .option("--find-time <seconds>", "the sliding window")
    .option("--ban-time <seconds>", "first ban's length (grows for repeat offenders)")
    .option("--allow <cidr>", "never ban this network (repeatable; loopback is always allowed)", collect)
    .option("--trusted-proxy <cidr>", "a reverse proxy in front of Home Assistant (repeatable)", collect)
    .option("--backend <backend>", "nftables | ip-bans=PATH | dry-run (repeatable)", collect)
    .option("--store <file>", "SQLite file for events and bans")
    .option("--control-socket <path>", "the running guard's control socket (default: beside the store, .sock)")
    .option("--ha-threshold <n>", "Home Assistant's login_attempts_threshold, for guard check's comparison")
    .option(
      "--journal-match <FIELD=value>",
      "journalctl match (repeatable; default SYSLOG_IDENTIFIER=homeassistant/hass)",
      collect,
    )
    .option("--supervisor-url <url>", "the Supervisor's API (inside an add-on: http://supervisor)")
    .option(
      "--ha-url <url>",
      "Home Assistant's URL, for notifications and http.unban (token: HASSGUARD_GUARD_HA_TOKEN)",
    )
    .option("--ha-notify-service <service>", "notify.<name> to call (default: a persistent notification)")
    .option("--webhook <url>", "POST each ban as JSON to this URL")
    .option("--mqtt <url>", "MQTT broker for the Home Assistant entities (password: HASSGUARD_GUARD_MQTT_PASSWORD)")
    .option("--mqtt-username <name>", "MQTT user name");
}

/** A flag's number stays text when it is not one, so the schema names it with its value. */
const numberOrText = (text: string | undefined) =>
  text === undefined ? undefined : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;

function flagLayer(flags: SettingsFlags): Record<string, unknown> {
  return {
    log: flags.log,
    source: flags.source,
    maxRetry: numberOrText(flags.maxRetry),
    maxTokenRetry: numberOrText(flags.maxTokenRetry),
    maxPrefixRetry: numberOrText(flags.maxPrefixRetry),
    findTime: numberOrText(flags.findTime),
    banTime: numberOrText(flags.banTime),
    allow: flags.allow,
    trustedProxies: flags.trustedProxy,
    backends: flags.backend,
    store: flags.store,
    controlSocket: flags.controlSocket,
    ipBansFile: flags.ipBans,
    haThreshold: numberOrText(flags.haThreshold),
    journalMatch: flags.journalMatch,
    supervisorUrl: flags.supervisorUrl,
    notify: {
      homeAssistant:
        flags.haUrl || flags.haNotifyService ? { url: flags.haUrl, service: flags.haNotifyService } : undefined,
      webhook: flags.webhook ? { url: flags.webhook } : undefined,
    },
    mqtt: flags.mqtt || flags.mqttUsername ? { url: flags.mqtt, username: flags.mqttUsername } : undefined,
  };
}

/** defaults < guard.yaml < HASSGUARD_GUARD_* < flags. */
export function resolveGuardConfig(flags: SettingsFlags, env: NodeJS.ProcessEnv = process.env): Readonly<GuardConfig> {
  const configPath = flags.config ?? env.HASSGUARD_GUARD_CONFIG;
  try {
    const fromFile = configPath ? readGuardYaml(configPath) : {};
    const merged = mergeGuardSettings(fromFile, guardEnvOverrides(env), flagLayer(flags));
    return validateGuardConfig(merged, configPath ? `${configPath}, environment and flags` : "environment and flags");
  } catch (error) {
    if (error instanceof GuardConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export const say = (message: string) => process.stderr.write(`hassguard guard: ${message}\n`);

/**
 * Runs until SIGINT/SIGTERM. A guard that cannot protect (no store, detector, log source or ban backend; a
 * second guard on the same store) never says "watching": it stops with one line and exit 2, and so does a
 * running guard whose store breaks beyond repair.
 */
async function runGuard(flags: SettingsFlags): Promise<void> {
  const config = resolveGuardConfig(flags);
  const { Guard } = await loadGuard();
  const guard = new Guard(config, { say, version: VERSION });
  await guard.start();
  say(`watching (${config.backends.join(", ")}; store ${config.store}; control socket ${guard.controlSocket})`);
  const stopped = await new Promise<Error | null>((resolve) => {
    const done = () => resolve(null);
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    void guard.failure.then(resolve);
  });
  await guard.stop();
  if (stopped) throw stopped;
}

export function registerGuard(program: Command): void {
  const guard = program.command("guard").description("follow Home Assistant's log, ban attackers, tell the owner");

  // `hassguard guard [flags]` runs the guard: `run` is the default subcommand, so the other subcommands'
  // flags are never taken by the parent
  addSettingsFlags(
    guard.command("run", { isDefault: true }).description("run the guard until stopped (the default)"),
  ).action(async (flags: SettingsFlags) => runGuard(flags));

  guard
    .command("schema")
    .description("print guard.yaml's JSON Schema (derived from the same schema that validates it)")
    .action(() => {
      process.stdout.write(`${JSON.stringify(guardConfigJsonSchema(), null, 2)}\n`);
    });

  registerGuardControl(guard);

  addSettingsFlags(
    guard
      .command("check")
      .description("replay a log through the parser and detector and print the decisions (like fail2ban-regex)")
      .argument("<logfile>", "a home-assistant.log (journalctl text output works too); - reads stdin"),
  )
    .option("--format <format>", "text|json", "text")
    .action(async (logfile: string, flags: SettingsFlags & { format: string }) => {
      if (flags.format !== "text" && flags.format !== "json") {
        throw new UsageError(`--format must be text or json, not '${flags.format}'`);
      }
      const config = resolveGuardConfig(flags);
      if (logfile !== "-" && !existsSync(logfile)) throw new UsageError(`log file '${logfile}' does not exist`);
      const { replayFile, replayStream } = await import("../../guard/replay-file.js");
      const { checkReportJson, checkReportText } = await import("../../guard/check-report.js");
      const result = logfile === "-" ? await replayStream(process.stdin, config) : await replayFile(logfile, config);
      process.stdout.write(flags.format === "json" ? checkReportJson(result) : checkReportText(result, logfile));
    });
}
