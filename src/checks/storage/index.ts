import type { Check } from "../../model/check.js";

/** The storage checks, in catalogue order. Add each new check module here. */
export const storageChecks: Check[] = [];
