import type { ConfigFacts } from "../../model/config-facts.js";
import { judgeConfigValue } from "./config-values.js";
import { findCredentialShapes, fingerprintOf } from "./credential-shapes.js";
import { judgeFile } from "./file-judgement.js";
import { isPlaceholder } from "./placeholder-values.js";
import { visitScalars } from "./walk.js";

/**
 * Fingerprints of the values used as real credentials: secrets defined outside example files, credentials
 * written inline in the configuration Home Assistant loads, and those already found in the folder's other
 * files (`alsoSeen`). A value of an example file that is among them is no fake.
 */
export function realCredentialFingerprints(config: ConfigFacts, alsoSeen: Iterable<string>): Set<string> {
  let base = memo.get(config);
  if (base === undefined) {
    base = fromConfiguration(config);
    memo.set(config, base);
  }
  return new Set([...base, ...alsoSeen]);
}

const memo = new WeakMap<ConfigFacts, Set<string>>();

function fromConfiguration(config: ConfigFacts): Set<string> {
  const real = new Set<string>();
  for (const secret of config.secrets) {
    if (typeof secret.value !== "string" && typeof secret.value !== "number") continue;
    const value = String(secret.value);
    if (isPlaceholder(value) || judgeFile(config, secret.pos.file).role === "example") continue;
    real.add(fingerprintOf(value));
    for (const shape of findCredentialShapes(value)) real.add(shape.fingerprint);
  }
  visitScalars(config.configuration, (path, scalar) => {
    if (scalar.origin.kind !== "inline" || scalar.value === null || typeof scalar.value === "boolean") return;
    for (const match of judgeConfigValue(config.configuration, path, scalar)) real.add(match.fingerprint);
  });
  return real;
}
