import type { ConfigFacts } from "../model/config-facts.js";
import { secretMasker } from "../model/mask.js";

/**
 * The one place a report's text is cleared of secret values before any format renders it: every string of
 * the findings, errors, suppressions and targets, paths included (a token used as a folder name, a password
 * in a file name). Checks already mask the values they quote; this catches a value that turns up anywhere
 * else. The values are those of every `secrets.yaml`.
 */
export function secretValueMasker(config: ConfigFacts | undefined): <T>(value: T) => T {
  const mask = secretMasker((config?.secrets ?? []).map((s) => s.value));
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return mask(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    }
    return value;
  };
  return <T>(value: T) => walk(value) as T;
}
