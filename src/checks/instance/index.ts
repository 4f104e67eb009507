import type { Check } from "../../model/check.js";

/** The instance checks, in catalogue order. Add each new check module here. */
export const instanceChecks: Check[] = [];
