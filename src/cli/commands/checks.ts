import type { Command } from "commander";
import { checkDocsPath } from "../../model/check.js";
import { CHECKLIST_ITEMS } from "../../model/finding.js";
import { UsageError } from "../exit.js";

/** `hassguard checks [ID]`: the catalogue, or one check explained. */
export function registerChecks(program: Command): void {
  program
    .command("checks")
    .description("list every check, or explain one")
    .argument("[id]", "a check id, e.g. http/ip-ban-disabled")
    .option("--format <format>", "text or json", "text")
    .action(async (id: string | undefined, flags: { format: string }) => {
      // the registry pulls in every check: load it only when this command runs
      const { allChecks, findCheck } = await import("../../checks/index.js");
      if (flags.format !== "text" && flags.format !== "json")
        throw new UsageError(`--format takes text or json, not '${flags.format}'`);
      if (id === undefined) {
        if (flags.format === "json") {
          process.stdout.write(
            `${JSON.stringify(
              allChecks.map(({ run: _run, ...meta }) => meta),
              null,
              2,
            )}\n`,
          );
          return;
        }
        const width = Math.max(...allChecks.map((c) => c.id.length), 2);
        for (const check of allChecks) {
          process.stdout.write(`${check.id.padEnd(width)}  ${check.severity.padEnd(8)}  ${check.title}\n`);
        }
        return;
      }
      const check = findCheck(id);
      if (check === undefined) throw new UsageError(`no check '${id}'; 'hassguard checks' lists them all`);
      const { run: _run, ...meta } = check;
      // an id from before a rename still resolves, and says what it is called now
      const renamed = check.id === id ? [] : [`${id} was renamed to ${check.id}.`, ""];
      if (flags.format === "json") {
        process.stdout.write(`${JSON.stringify(check.id === id ? meta : { ...meta, renamedFrom: id }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          ...renamed,
          `${check.id} — ${check.title}`,
          `severity: ${check.severity}   area: ${check.area}   checklist: ${CHECKLIST_ITEMS[check.checklist]}${check.fixable ? "   fixable" : ""}`,
          "",
          check.description,
          "",
          `Fix: ${check.remediation}`,
          "",
          "Sources:",
          ...check.sources.map((s) => `  - ${s}`),
          ...(check.formerIds.length === 0 ? [] : [`Formerly: ${check.formerIds.join(", ")}`]),
          `Docs: ${checkDocsPath(check.id)}`,
          "",
        ].join("\n"),
      );
    });
}
