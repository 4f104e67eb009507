import type { ConfigFacts } from "./config-facts.js";
import type { SourceError } from "./errors.js";
import type { InstanceFacts } from "./instance-facts.js";
import type { NetworkFacts } from "./network-facts.js";
import type { StorageFacts } from "./storage-facts.js";

/** Everything the sources gathered. Each part is optional: a check runs only when its facts are present. */
export interface Facts {
  config?: ConfigFacts;
  storage?: StorageFacts;
  network?: NetworkFacts;
  instance?: InstanceFacts;
  /** Why a kind of fact is missing (`config: "no configuration directory given"`), for "not checked". */
  missing: Partial<Record<FactKind, string>>;
  errors: SourceError[];
  /** Settings that checks read (e.g. the password-check time budget). */
  options: CheckOptions;
  /** "Now" for age computations, fixed once so a report is reproducible. */
  now: Date;
}

export type FactKind = "config" | "storage" | "network" | "instance";

export interface CheckOptions {
  /** Seconds the weak-password check may spend; 0 turns it off. */
  passwordBudgetSeconds: number;
}
