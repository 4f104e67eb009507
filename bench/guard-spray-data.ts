// A spray log for the guard benchmark (issue 8): 2,000,000 lines in about an hour, from 1,000,000 distinct
// addresses that each fail once or twice (never enough for a ban), with a few real attackers hidden inside:
// bursts, slow attackers whose tries are tens of thousands of lines apart, one rotating through an IPv6 /64,
// one behind a percent-encoded login URL, one link-local peer with its zone. Addresses come from ranges meant
// for documentation and benchmarks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15,
// 2001:db8::/32) and the shared space 100.64.0.0/10; the log is text, nothing is sent anywhere.
import { createWriteStream } from "node:fs";
import { OTHER_LINES, random, stamp } from "./guard-data.js";

export interface SprayAttacker {
  /** What the guard must ban: an address, or the /64 of the rotating attacker. */
  target: string;
  what: string;
}

export interface SprayLog {
  lines: number;
  failures: number;
  addresses: number;
  attackers: SprayAttacker[];
}

const SPRAYERS = 1_000_000;
const LINES = 2_000_000;
/** A sprayer's two failures are shuffled within blocks of this many lines (a few minutes: inside findTime). */
const BLOCK = 100_000;

/** The n-th sprayer: IPv4 for 45% (198.18.0.0/15, then 100.64.0.0/10), else one address in its own random /64. */
function sprayer(n: number, next: () => number): string {
  if (n < 131_072) return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
  if (n < 450_000) {
    const m = n - 131_072;
    return `100.${64 + (m >> 16)}.${(m >> 8) & 0xff}.${m & 0xff}`;
  }
  const group = () => Math.floor(next() * 0x10000).toString(16);
  // the n-th /64 is distinct by construction (its 2nd and 3rd groups count n), the interface id is random
  return `2001:db8:${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}:${group()}:${group()}:${group()}:${group()}`;
}

const failureLine = (ms: number, address: string, url: string, agent = "python-requests/2.31.0") =>
  `${stamp(ms)} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '${url}'. (${agent})`;

/** Attack lines by position in the log: position → [address, url]. */
function attackPlan(): { plan: Map<number, [string, string]>; attackers: SprayAttacker[] } {
  const plan = new Map<number, [string, string]>();
  const attackers: SprayAttacker[] = [];
  const at = (position: number, address: string, url = "/auth/login_flow/a77ac4") => {
    let free = position;
    while (plan.has(free)) free++;
    plan.set(free, [address, url]);
  };
  for (const [i, address] of ["203.0.113.10", "203.0.113.11", "203.0.113.12"].entries()) {
    for (let k = 0; k < 12; k++) at(300_000 + i * 600_000 + k, address);
    attackers.push({ target: address, what: "a burst of 12" });
  }
  for (const [i, address] of ["203.0.113.20", "198.51.100.20"].entries()) {
    // one try every 60,000 lines (about 110 s): tens of thousands of new addresses between two tries
    for (let k = 0; k < 8; k++) at(450_000 + i * 700_000 + k * 60_000, address);
    attackers.push({ target: address, what: "slow: one try every 60,000 lines" });
  }
  // a new address of its /64 every 4 tries, one try every 5,000 lines
  for (let k = 0; k < 24; k++) at(1_000_000 + k * 5_000, `2001:db8:bad:1::${(Math.floor(k / 4) + 1).toString(16)}`);
  attackers.push({ target: "2001:db8:bad:1::/64", what: "rotating through one /64, a new address every 4 tries" });
  for (let k = 0; k < 8; k++) at(1_200_000 + k * 1_000, "203.0.113.30", "/auth/login%5Fflow/5f5f");
  attackers.push({ target: "203.0.113.30", what: "percent-encoded login URL, 8 tries" });
  for (let k = 0; k < 6; k++) at(1_700_000 + k * 2_000, "fe80::bad%eth0");
  attackers.push({ target: "fe80::bad%eth0", what: "link-local with its zone, 6 tries" });
  return { plan, attackers };
}

/** Writes the log; deterministic for a seed. */
export async function writeSprayLog(path: string, startMs: number, seed = 2027): Promise<SprayLog> {
  const next = random(seed);
  const { plan, attackers } = attackPlan();
  // each sprayer fails twice (5% once); its failures are shuffled within blocks of BLOCK lines
  const order: number[] = [];
  for (let n = 0; n < SPRAYERS; n++) {
    order.push(n);
    if (n % 20 !== 0) order.push(n);
  }
  for (let start = 0; start < order.length; start += BLOCK) {
    const end = Math.min(order.length, start + BLOCK);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(next() * (i - start + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
  }
  const addresses = new Map<number, string>();
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buffer = "";
  let failures = 0;
  let sprayed = 0;
  let distinct = 0;
  let time = startMs;
  for (let position = 0; position < LINES; position++) {
    time += 1 + Math.floor(next() * 2.6);
    const attack = plan.get(position);
    if (attack) {
      buffer += `${failureLine(time, attack[0], attack[1])}\n`;
      failures++;
    } else if (sprayed < order.length && next() < 0.985) {
      const n = order[sprayed++] ?? 0;
      // an address is made once and forgotten after its second failure: the writer's memory stays small
      let address = addresses.get(n);
      if (address === undefined) {
        address = sprayer(n, next);
        distinct++;
        if (n % 20 !== 0) addresses.set(n, address);
      } else {
        addresses.delete(n);
      }
      buffer += `${failureLine(time, address, `/auth/login_flow/${(n * 2654435761) >>> 0}`)}\n`;
      failures++;
    } else {
      buffer += `${stamp(time)} ${OTHER_LINES[Math.floor(next() * OTHER_LINES.length)]}\n`;
    }
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      buffer = "";
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const attackAddresses = new Set([...plan.values()].map(([address]) => address)).size;
  return { lines: LINES, failures, addresses: distinct + attackAddresses, attackers };
}
