import type { Command } from "commander";

/** `hassguard guard`: the long-running guard and its subcommands. Owned by the guard work (issue 5). */
export function registerGuard(program: Command): void {
  program
    .command("guard")
    .description("follow Home Assistant's log and ban attackers (not implemented yet)")
    .action(() => {
      throw new Error("guard is not implemented yet");
    });
}
