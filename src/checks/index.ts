import type { Check } from "../model/check.js";
import { configChecks } from "./config/index.js";
import { instanceChecks } from "./instance/index.js";
import { networkChecks } from "./network/index.js";
import { storageChecks } from "./storage/index.js";

/** Every check hassguard knows, area by area. */
export const allChecks: readonly Check[] = [...configChecks, ...storageChecks, ...networkChecks, ...instanceChecks];

export function findCheck(id: string): Check | undefined {
  return allChecks.find((check) => check.id === id);
}
