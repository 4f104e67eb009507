import type { Check } from "../../model/check.js";

/** The config checks, in catalogue order. Add each new check module here. */
export const configChecks: Check[] = [];
