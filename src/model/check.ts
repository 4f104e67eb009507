import type { FactKind, Facts, FactsByKind } from "./facts.js";
import type { ChecklistItem, FindingDraft } from "./finding.js";
import type { Severity } from "./severity.js";

/** The folder a check lives in under src/checks: the kind of facts it mainly reads (CONTRIBUTING.md). */
export type CheckArea = "config" | "storage" | "network" | "instance" | "host" | "addons";

/**
 * The facts a check's `run` receives: every kind it `needs`, present; every kind it `uses`, perhaps; and the
 * audit's fixed "now". Nothing else: a kind the check did not declare is a type error, so what a check reads is
 * what its definition says, and "not checked" is always right.
 */
export type CheckFacts<Need extends FactKind, Use extends FactKind = never> = {
  readonly [K in Need]: FactsByKind[K];
} & { readonly [K in Exclude<Use, Need>]?: FactsByKind[K] } & { readonly now: Date };

/** Everything about a check that does not vary from one finding to the next. */
interface CheckMetadata {
  /**
   * `topic/name` in kebab case, the topic being what is at risk in the owner's words (`http/ip-ban-disabled`,
   * `ssh/password-auth`), never where hassguard looked (no `network/`, `config/`). The module is
   * `src/checks/<area>/<topic>-<name>.ts`; CONTRIBUTING.md "Adding a check" has the rule. Once released, an id
   * is never reused; a rename keeps the old id in `formerIds`.
   */
  id: string;
  title: string;
  severity: Severity;
  area: CheckArea;
  checklist: ChecklistItem;
  /** The risk in plain words for a non-expert (for the docs page and `hassguard checks ID`). */
  description: string;
  remediation: string;
  /** Where the facts behind the check come from (Home Assistant source, docs, advisories). */
  sources: string[];
  /** Whether `hassguard fix` can repair it. */
  fixable?: boolean;
}

/** What a check module writes: `defineCheck({ id, ..., needs: ["config"], run(facts) { facts.config... } })`. */
export interface CheckDefinition<Need extends FactKind, Use extends FactKind> extends CheckMetadata {
  /** The kinds of facts it cannot run without; when one is missing the check is reported as not checked. */
  needs: readonly Need[];
  /** Kinds it reads when they are there, to add evidence or judge better; it runs without them. */
  uses?: readonly Use[];
  /**
   * Ids this check was known by before a rename. `.hassguard.yaml` suppressions, `--ignore`, `hassguard checks`
   * and SARIF (`deprecatedIds`) still accept them.
   */
  formerIds?: readonly string[];
  /** Pure: no I/O, no clock (use `facts.now`), no randomness. Returns the findings, or none. */
  run(facts: CheckFacts<Need, Use>): FindingDraft[];
}

/** A registered check, as the engine, the registry and the reporters see it. */
export interface Check extends CheckMetadata {
  needs: readonly FactKind[];
  uses: readonly FactKind[];
  formerIds: readonly string[];
  /** Runs the check; throws when a kind of fact it needs is missing (the engine never calls it then). */
  run(facts: Facts): FindingDraft[];
}

/**
 * Turns a check module's definition into a registered check. The type parameters come from `needs` and `uses`
 * (write them as plain array literals), so `run` gets its facts already narrowed: no `if (facts.x ===
 * undefined) return []` in any check.
 */
export function defineCheck<Need extends FactKind, Use extends FactKind = never>(
  definition: CheckDefinition<Need, Use>,
): Check {
  const { run, needs, uses = [], formerIds = [], ...metadata } = definition;
  return {
    ...metadata,
    needs,
    uses,
    formerIds,
    run(facts: Facts): FindingDraft[] {
      const missing = needs.find((kind) => facts[kind] === undefined);
      if (missing !== undefined) throw new Error(`check ${metadata.id} needs ${missing} facts, which are missing`);
      // every kind in `needs` was just found present: this is the narrowing CheckFacts promises
      return run(facts as unknown as CheckFacts<Need, Use>);
    },
  };
}

/** The docs page of a check, relative to the package root. */
export function checkDocsPath(id: string): string {
  return `docs/checks/${id}.md`;
}
