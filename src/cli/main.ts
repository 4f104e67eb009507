#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { escapeUntrusted } from "../report/untrusted-text.js";
import { registerAudit } from "./commands/audit.js";
import { registerChecks } from "./commands/checks.js";
import { registerGuard } from "./commands/guard.js";
import { registerScan } from "./commands/scan.js";
import { EXIT_ERROR, UsageError, usageLine } from "./exit.js";
import { VERSION } from "./version.js";

/** The composition root: builds the command tree; the only place that reads process.argv or exits. */
export function buildProgram(): Command {
  const program = new Command("hassguard")
    .description("Make a Home Assistant installation safe to expose and safe to share.")
    .version(VERSION)
    .exitOverride();
  registerAudit(program);
  registerScan(program);
  registerGuard(program);
  registerChecks(program);
  oneLineUsageErrors(program);
  return program;
}

/** `hassguard scan` for the scan command, `hassguard guard unban` for a nested one. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** A mistake on the command line is one line naming the mistake and where help is, never the whole help. */
function oneLineUsageErrors(command: Command): void {
  command.showHelpAfterError(false).configureOutput({
    outputError: (message, write) => write(usageLine(message.replace(/^error: /, ""), commandPath(command))),
  });
  for (const sub of command.commands) oneLineUsageErrors(sub);
}

async function main(): Promise<void> {
  // `hassguard checks | head`: the reader went away, which is not an error worth a stack trace
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const program = buildProgram();
  if (process.argv.length <= 2) {
    process.stderr.write(usageLine("name a command: audit, scan, guard or checks", "hassguard"));
    process.exitCode = EXIT_ERROR;
    return;
  }
  // the command whose action runs, so that its usage errors point at its own --help
  let running: Command = program;
  program.hook("preAction", (_program, actionCommand) => {
    running = actionCommand;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors were written by oneLineUsageErrors
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_ERROR;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      process.stderr.write(usageLine(message, commandPath(running)));
    } else {
      process.stderr.write(`hassguard: ${escapeUntrusted(message)}\n`);
      if (process.argv.includes("--debug") && error instanceof Error && error.stack) {
        process.stderr.write(`${error.stack}\n`);
      }
    }
    process.exitCode = EXIT_ERROR;
  }
}

await main();
