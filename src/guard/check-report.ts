import type { ReplayResult } from "./replay.js";

/** `guard check --format json`: the first three keys are the stable contract; the rest explains them. */
export function checkReportJson(result: ReplayResult): string {
  const { lines, failures, bans, ...details } = result;
  return `${JSON.stringify({ lines, failures, bans, ...details }, null, 2)}\n`;
}

/** `guard check` for a person: what would have been banned, and how Home Assistant's own ban did. */
export function checkReportText(result: ReplayResult, source: string): string {
  const out: string[] = [];
  out.push(`${source}: ${result.lines} lines, ${result.failures} failed logins`);
  out.push(
    `  kinds: ${result.kinds.password} wrong password/MFA code, ${result.kinds.token} stale token, ${result.kinds.unknown} unknown (old log format)`,
  );
  if (result.filtered > 0) out.push(`  ${result.filtered} requests filtered as harmful (scanners) by Home Assistant`);
  out.push(result.bans.length === 0 ? "  no address would be banned" : `  ${result.bans.length} bans:`);
  for (const ban of result.bans) out.push(`    ${ban.bannedAt}  ${ban.address}  after ${ban.reason}`);
  for (const entry of result.allowed) {
    out.push(`  never banned: ${entry.address} (${entry.reason}), ${entry.failures} failures`);
  }
  for (const entry of result.proxyWarnings) out.push(`  warning: ${entry.reason} (${entry.failures} failures)`);
  const ha = result.homeAssistant;
  if (ha.threshold >= 1) {
    out.push(
      `  Home Assistant's own ban (login_attempts_threshold ${ha.threshold}) should have fired ${plural(ha.expected.length, "time")}; the log shows ${plural(ha.banned.length, '"Banned IP" line')}`,
    );
    if (ha.missing.length > 0) {
      out.push(`    never banned by Home Assistant although it should have been: ${ha.missing.join(", ")}`);
    }
  } else {
    out.push(`  Home Assistant's own ban: ${ha.banned.length} "Banned IP" lines (pass --ha-threshold to compare)`);
  }
  if (ha.bannedButAllowed.length > 0) {
    out.push(
      `    Home Assistant banned ${ha.bannedButAllowed.join(", ")}, which the guard never bans (loopback, proxy, Supervisor or your networks): everything arriving that way is now locked out`,
    );
  }
  return `${out.join("\n")}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
