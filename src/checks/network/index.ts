import type { Check } from "../../model/check.js";

/** The network checks, in catalogue order. Add each new check module here. */
export const networkChecks: Check[] = [];
