/**
 * Where a ban takes effect. Every method is idempotent: banning a banned address or unbanning a free one is
 * not an error, so a restart can simply re-apply what the store remembers.
 */
export interface BanBackend {
  readonly name: string;
  /** Prepares (creates the firewall table, checks the file is writable). */
  start(): Promise<void>;
  ban(address: string, until: number): Promise<void>;
  unban(address: string): Promise<void>;
  /** Addresses the backend holds now (for checks and tests). */
  list(): Promise<string[]>;
  stop(): Promise<void>;
}
