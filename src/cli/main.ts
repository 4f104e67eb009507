#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { registerAudit } from "./commands/audit.js";
import { registerChecks } from "./commands/checks.js";
import { registerGuard } from "./commands/guard.js";
import { registerScan } from "./commands/scan.js";
import { EXIT_ERROR } from "./exit.js";
import { VERSION } from "./version.js";

/** The composition root: builds the command tree; the only place that reads process.argv or exits. */
export function buildProgram(): Command {
  const program = new Command("hassguard")
    .description("Make a Home Assistant installation safe to expose and safe to share.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerAudit(program);
  registerScan(program);
  registerGuard(program);
  registerChecks(program);
  return program;
}

async function main(): Promise<void> {
  // `hassguard checks | head`: the reader went away, which is not an error worth a stack trace
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_ERROR;
      return;
    }
    const debug = process.argv.includes("--debug");
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`hassguard: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = EXIT_ERROR;
  }
}

await main();
