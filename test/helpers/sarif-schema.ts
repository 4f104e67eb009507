import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04 from "ajv-draft-04";
import addFormatsPlugin from "ajv-formats";

// ajv-draft-04 and ajv-formats are CommonJS with a `default` export; under nodenext it sits on `.default`
const Ajv = AjvDraft04.default;
const addFormats = addFormatsPlugin.default;

/** The official SARIF 2.1.0 schema (the copy @microsoft/jest-sarif ships). */
export function sarifSchema(): object {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
}

/** A validator for the official schema, formats included: SARIF's `uri` and `date-time` fields are checked too. */
export function sarifValidator(schema: object = sarifSchema()) {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
