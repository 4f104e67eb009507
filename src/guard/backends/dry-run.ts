import type { BanBackend } from "./backend.js";

/** Bans nothing; says what it would do (first runs, `guard check`-style trials on a live log). */
export class DryRunBackend implements BanBackend {
  readonly name = "dry-run";
  readonly #banned = new Map<string, number>();
  readonly #say: (message: string) => void;

  constructor(say: (message: string) => void = () => undefined) {
    this.#say = say;
  }

  async start(): Promise<void> {}

  async ban(address: string, until: number): Promise<void> {
    this.#banned.set(address, until);
    this.#say(`dry-run: would ban ${address} until ${new Date(until).toISOString()}`);
  }

  async unban(address: string): Promise<void> {
    if (this.#banned.delete(address)) this.#say(`dry-run: would unban ${address}`);
  }

  async list(): Promise<string[]> {
    return [...this.#banned.keys()];
  }

  async stop(): Promise<void> {}
}
