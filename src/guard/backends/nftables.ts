import { spawn } from "node:child_process";
import { addressFamily, addressZone, banTarget } from "../address.js";
import type { BanBackend } from "./backend.js";

/**
 * nftables: the guard's own table (`inet hassguard`) with sets whose elements carry a timeout, so a ban lapses
 * in the kernel even if the guard is gone, and drop rules in an input chain. Every change is one `nft -f -`
 * transaction; setup and each ban are idempotent, and `remove()` deletes the table and nothing else.
 *
 * Sets: `banned4`/`banned6` hold addresses; `banned6net` (an interval set) holds IPv6 /64 prefix bans;
 * `banned6zone` holds link-local addresses with their zone as `"eth0" . fe80::1`, matched with the interface
 * the packet came in on: the zone is the link, and fe80::1 on another link is another host. A numeric zone
 * (Python writes the index when the interface has no name) is banned on every link, the safe side for a ban.
 */
export interface NftablesOptions {
  table?: string;
  /** The command that runs nft, e.g. ["ip", "netns", "exec", "test-ns", "nft"] in tests. */
  command?: string[];
  /** Chain priority: before most other filter chains. */
  priority?: number;
}

const TIMEOUT_MS = 10_000;

export class NftablesBackend implements BanBackend {
  readonly name = "nftables";
  readonly #table: string;
  readonly #command: string[];
  readonly #priority: number;

  constructor(options: NftablesOptions = {}) {
    this.#table = options.table ?? "hassguard";
    if (!/^[A-Za-z][\w-]{0,31}$/.test(this.#table)) throw new Error(`invalid nftables table name '${this.#table}'`);
    this.#command = options.command ?? ["nft"];
    this.#priority = options.priority ?? -10;
  }

  async start(): Promise<void> {
    const t = `inet ${this.#table}`;
    // `add` is idempotent for table, sets and chain; the rules are replaced by flushing the chain first
    await this.#nft(
      [
        `add table ${t}`,
        `add set ${t} banned4 { type ipv4_addr; flags timeout; }`,
        `add set ${t} banned6 { type ipv6_addr; flags timeout; }`,
        `add set ${t} banned6net { type ipv6_addr; flags interval, timeout; }`,
        `add set ${t} banned6zone { type ifname . ipv6_addr; flags timeout; }`,
        `add chain ${t} input { type filter hook input priority ${this.#priority}; policy accept; }`,
        `flush chain ${t} input`,
        `add rule ${t} input ip saddr @banned4 counter drop`,
        `add rule ${t} input ip6 saddr @banned6 counter drop`,
        `add rule ${t} input ip6 saddr @banned6net counter drop`,
        `add rule ${t} input iifname . ip6 saddr @banned6zone counter drop`,
      ].join("\n"),
    );
  }

  async ban(address: string, until: number): Promise<void> {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    const { set, value } = this.#element(address);
    const element = `inet ${this.#table} ${set} { ${value} timeout ${seconds}s }`;
    const bare = `inet ${this.#table} ${set} { ${value} }`;
    // add (no-op if present), delete, add again: the element exists afterwards with the new timeout
    await this.#nft(`add element ${bare}\ndelete element ${bare}\nadd element ${element}`);
  }

  async unban(address: string): Promise<void> {
    const { set, value } = this.#element(address);
    const bare = `inet ${this.#table} ${set} { ${value} }`;
    await this.#nft(`add element ${bare}\ndelete element ${bare}`);
  }

  /** Every ban in the table, written as the guard names bans: `192.0.2.1`, `fe80::1%eth0`, `2001:db8:1:2::/64`. */
  async list(): Promise<string[]> {
    const out: string[] = [];
    for (const set of ["banned4", "banned6", "banned6net", "banned6zone"]) {
      const json = await this.#run(["-j", "list", "set", "inet", this.#table, set]);
      const parsed = JSON.parse(json) as { nftables?: { set?: { elem?: unknown[] } }[] };
      for (const item of parsed.nftables ?? []) {
        for (const element of item.set?.elem ?? []) {
          const text = elementText((element as { elem?: { val?: unknown } }).elem?.val ?? element);
          if (text !== null) out.push(text);
        }
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    // the table stays: bans keep working (and time out) while the guard restarts
  }

  /** Deletes the guard's table, every ban in it included. */
  async remove(): Promise<void> {
    await this.#nft(`add table inet ${this.#table}\ndelete table inet ${this.#table}`);
  }

  /** The set and the element text for a ban target. */
  #element(target: string): { set: string; value: string } {
    // the target goes into an nft script: only a canonical one (digits, hex, dots, colons, a checked zone) may
    if (banTarget(target) !== target) throw new Error(`refusing non-canonical address '${target}'`);
    if (target.includes("/")) {
      if (addressFamily(target) === 4) throw new Error(`IPv4 networks are not banned here: '${target}'`);
      return { set: "banned6net", value: target };
    }
    const { address, zone } = addressZone(target);
    if (zone !== null && !/^\d+$/.test(zone)) return { set: "banned6zone", value: `"${zone}" . ${address}` };
    return { set: addressFamily(address) === 4 ? "banned4" : "banned6", value: address };
  }

  #nft(script: string): Promise<string> {
    return this.#run(["-f", "-"], script);
  }

  #run(args: string[], input?: string): Promise<string> {
    const [program = "nft", ...prefix] = this.#command;
    return new Promise((resolve, reject) => {
      const child = spawn(program, [...prefix, ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${program}: ${error.message}`));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(stdout);
        else reject(new Error(`nft ${args.join(" ")} failed (${code}): ${stderr.trim().slice(0, 500)}`));
      });
      // nft may exit before reading its input (an error, a list command): not an error of ours
      child.stdin.on("error", () => undefined);
      child.stdin.end(input ?? "");
    });
  }
}

/** An element of `nft -j list set` as a ban target (see list()). */
function elementText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return null;
  const { prefix, concat } = value as { prefix?: { addr?: unknown; len?: unknown }; concat?: unknown[] };
  if (prefix && typeof prefix.addr === "string") return `${prefix.addr}/${String(prefix.len)}`;
  if (Array.isArray(concat) && typeof concat[0] === "string" && typeof concat[1] === "string") {
    return `${concat[1]}%${concat[0]}`;
  }
  return null;
}
