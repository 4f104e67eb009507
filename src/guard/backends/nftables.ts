import { spawn } from "node:child_process";
import { addressFamily, normalizeAddress } from "../address.js";
import type { BanBackend } from "./backend.js";

/**
 * nftables: the guard's own table (`inet hassguard`) with one set per family whose elements carry a timeout,
 * so a ban lapses in the kernel even if the guard is gone, and a drop rule in an input chain. Every change is
 * one `nft -f -` transaction; setup and each ban are idempotent, and `remove()` deletes the table and nothing else.
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
        `add chain ${t} input { type filter hook input priority ${this.#priority}; policy accept; }`,
        `flush chain ${t} input`,
        `add rule ${t} input ip saddr @banned4 counter drop`,
        `add rule ${t} input ip6 saddr @banned6 counter drop`,
      ].join("\n"),
    );
  }

  async ban(address: string, until: number): Promise<void> {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    const element = `inet ${this.#table} ${this.#set(address)} { ${address} timeout ${seconds}s }`;
    const bare = `inet ${this.#table} ${this.#set(address)} { ${address} }`;
    // add (no-op if present), delete, add again: the element exists afterwards with the new timeout
    await this.#nft(`add element ${bare}\ndelete element ${bare}\nadd element ${element}`);
  }

  async unban(address: string): Promise<void> {
    const bare = `inet ${this.#table} ${this.#set(address)} { ${address} }`;
    await this.#nft(`add element ${bare}\ndelete element ${bare}`);
  }

  async list(): Promise<string[]> {
    const out: string[] = [];
    for (const set of ["banned4", "banned6"]) {
      const json = await this.#run(["-j", "list", "set", "inet", this.#table, set]);
      const parsed = JSON.parse(json) as { nftables?: { set?: { elem?: unknown[] } }[] };
      for (const item of parsed.nftables ?? []) {
        for (const element of item.set?.elem ?? []) {
          const value = (element as { elem?: { val?: unknown } }).elem?.val ?? element;
          if (typeof value === "string") out.push(value);
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

  #set(address: string): string {
    // the address goes into an nft script: only a canonical address (digits, hex, dots, colons) may
    if (normalizeAddress(address) !== address) throw new Error(`refusing non-canonical address '${address}'`);
    return addressFamily(address) === 4 ? "banned4" : "banned6";
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
