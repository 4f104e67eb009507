/**
 * Where a ban takes effect. Every method is idempotent: banning a banned address or unbanning a free one is
 * not an error, so a restart can simply re-apply what the store remembers.
 */
export interface BanBackend {
  readonly name: string;
  /** Prepares (creates the firewall table, checks the file is writable). */
  start(): Promise<void>;
  /** `address` is an address, or a network for a prefix ban (`2001:db8:1:2::/64`). */
  ban(address: string, until: number): Promise<void>;
  /** Why this backend cannot hold a ban on `target` (it is left out of it), or null when it can. */
  limitation?(target: string): string | null;
  unban(address: string): Promise<void>;
  /** Addresses the backend holds now (for checks and tests). */
  list(): Promise<string[]>;
  stop(): Promise<void>;
}
