import type { AdvisoryIndex } from "./advisory-facts.js";
import type { ConfigFacts } from "./config-facts.js";
import type { SourceError } from "./errors.js";
import type { InstanceFacts } from "./instance-facts.js";
import type { NetworkFacts } from "./network-facts.js";
import type { StorageFacts } from "./storage-facts.js";

/** Each kind of fact a source can gather, by the name checks declare in `needs` and `uses`. */
export interface FactsByKind {
  config: ConfigFacts;
  storage: StorageFacts;
  network: NetworkFacts;
  instance: InstanceFacts;
  /** The advisory data shipped in `data/ha-advisories.json`, read and indexed by src/sources/advisories.ts. */
  advisories: AdvisoryIndex;
}

export type FactKind = keyof FactsByKind;

/** Everything the sources gathered. Each kind is optional: a check runs only when the kinds it needs are present. */
export interface Facts extends Partial<FactsByKind> {
  /** Why a kind of fact is missing (`config: "no configuration directory given"`), for "not checked". */
  missing: Partial<Record<FactKind, string>>;
  errors: SourceError[];
  /** "Now" for age computations, fixed once so a report is reproducible. */
  now: Date;
}
