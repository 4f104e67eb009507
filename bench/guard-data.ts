// Synthetic Home Assistant logs for the guard benchmark: deterministic, documentation address ranges only
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), about 5% failed logins from about 1,000
// addresses. Attackers fail in dense bursts; everyone else fails fewer times than any threshold, so a
// fail2ban-style jail and hassguard must reach the same decisions whatever their window arithmetic.
import { createWriteStream } from "node:fs";

/** A small fast PRNG (mulberry32) so every run writes the same log. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticLog {
  lines: number;
  failures: number;
  addresses: number;
  attackers: string[];
}

export const OTHER_LINES = [
  "INFO (MainThread) [homeassistant.components.automation.lights] Running automation actions",
  "INFO (MainThread) [homeassistant.components.automation.lights] Executing step call service",
  "DEBUG (MainThread) [homeassistant.components.mqtt.client] Received message on zigbee2mqtt/kitchen: b'{\"temperature\":21.4}'",
  "WARNING (MainThread) [homeassistant.components.sensor] Updating state for sensor.outdoor took longer than the scheduled update interval 0:00:30",
  "INFO (SyncWorker_3) [homeassistant.components.recorder.core] Purging old data",
  "ERROR (MainThread) [homeassistant.components.cast.media_player] Failed to determine cast type for host 192.0.2.200",
  "INFO (MainThread) [homeassistant.components.http.ban] Banned IP list loaded",
  'DEBUG (MainThread) [homeassistant.components.websocket_api.http.connection] [140208] Sending {"type":"result"}',
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Home Assistant's line time (local, milliseconds). */
export function stamp(ms: number): string {
  // lines come many to a second: the local-time text of the second is made once
  const second = Math.floor(ms / 1000);
  if (second !== stampSecond) {
    const d = new Date(second * 1000);
    stampSecond = second;
    stampText = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  return `${stampText}.${pad(ms - second * 1000, 3)}`;
}
let stampSecond = Number.NaN;
let stampText = "";

function addressPool(next: () => number): string[] {
  const pool = new Set<string>();
  for (let i = 1; i <= 250; i++) pool.add(`192.0.2.${i}`);
  for (let i = 1; i <= 250; i++) pool.add(`198.51.100.${i + 1}`); // 198.51.100.1 is the injection bait, never a client
  for (let i = 1; i <= 250; i++) pool.add(`203.0.113.${i}`);
  while (pool.size < 1000) {
    const group = () => Math.floor(next() * 0x10000).toString(16);
    pool.add(`2001:db8:${group()}:${group()}::${group()}`);
  }
  return [...pool];
}

/**
 * Writes `total` lines. 10% of the addresses are attackers (bursts of 8–30 failures a few hundred ms apart);
 * the rest fail 1–3 times in all. Some attackers put "from 198.51.100.1 (198.51.100.1)" in their user agent.
 */
export async function writeSyntheticLog(
  path: string,
  total: number,
  startMs: number,
  seed = 2026,
): Promise<SyntheticLog> {
  const next = random(seed);
  const pool = addressPool(next);
  const attackers = pool.filter((_, i) => i % 10 === 3);
  const others = pool.filter((_, i) => i % 10 !== 3);
  const failuresWanted = Math.round(total * 0.05);
  // the others' failures: 1–3 each, fewer than any threshold
  const otherFailures: string[] = [];
  for (const address of others) {
    const count = 1 + Math.floor(next() * 3);
    for (let i = 0; i < count && otherFailures.length < failuresWanted / 3; i++) otherFailures.push(address);
  }
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let time = startMs;
  let written = 0;
  let failures = 0;
  let buffer = "";
  const emit = (line: string) => {
    buffer += `${line}\n`;
    written++;
  };
  const failure = (address: string) => {
    const r = next();
    const url = r < 0.8 ? `/auth/login_flow/${Math.floor(next() * 2 ** 32).toString(16)}` : "/api/websocket";
    const agent = r < 0.05 ? "Mozilla/5.0 from 198.51.100.1 (198.51.100.1)" : "python-requests/2.31.0";
    emit(
      `${stamp(time)} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '${url}'. (${agent})`,
    );
    failures++;
  };
  // attacks are scheduled as bursts; between them, ordinary lines and the others' scattered failures
  const attackBudget = failuresWanted - otherFailures.length;
  let attackLeft = attackBudget;
  const otherEvery = Math.max(1, Math.floor(total / Math.max(1, otherFailures.length)));
  const burstEvery = Math.max(40, Math.floor(total / Math.max(1, attackBudget / 18)));
  let otherIndex = 0;
  while (written < total) {
    time += 5 + Math.floor(next() * 20);
    if (attackLeft > 0 && written % burstEvery === 0) {
      const attacker = attackers[Math.floor(next() * attackers.length)] ?? "203.0.113.1";
      const size = Math.min(attackLeft, 8 + Math.floor(next() * 23), total - written);
      for (let i = 0; i < size; i++) {
        failure(attacker);
        time += 100 + Math.floor(next() * 300);
      }
      attackLeft -= size;
    } else if (otherIndex < otherFailures.length && written % otherEvery === 1) {
      failure(otherFailures[otherIndex++] ?? "192.0.2.1");
    } else {
      emit(`${stamp(time)} ${OTHER_LINES[Math.floor(next() * OTHER_LINES.length)]}`);
    }
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      buffer = "";
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { lines: written, failures, addresses: pool.length, attackers };
}
