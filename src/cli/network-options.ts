import { escapeUntrusted } from "../report/untrusted-text.js";
import type { PortSelection } from "../sources/network/ports.js";
import { parsePortList } from "../sources/network/ports.js";
import { UsageError } from "./exit.js";

/** `--ports all|top|22,8123,8000-8100`. */
export function parsePorts(value: string): PortSelection {
  if (value === "all" || value === "top") return value;
  try {
    return parsePortList(value);
  } catch (error) {
    throw new UsageError(`--ports: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `--budget SECONDS` → milliseconds. */
export function parseBudget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--budget takes seconds (more than 0), not '${value}'`);
  return seconds * 1000;
}

export function checkHost(host: string): void {
  if (host.trim() === "" || host.startsWith("-")) throw new UsageError(`not a host: '${host}'`);
}

/** One self-overwriting status line on a terminal's stderr; nothing at all in pipes or CI. */
export function terminalProgress(): { update: (line: string) => void; clear: () => void } | undefined {
  if (process.stderr.isTTY !== true || process.env.CI) return undefined;
  let last = 0;
  return {
    update: (line) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      // a host name or a path typed by the user: shown, never obeyed
      process.stderr.write(`\r\x1b[K… ${escapeUntrusted(line).slice(0, (process.stderr.columns ?? 80) - 3)}`);
    },
    clear: () => process.stderr.write("\r\x1b[K"),
  };
}
