import type { Command } from "commander";

/** `hassguard scan HOST`: network exposure only. Owned by the network scanner work (issue 4). */
export function registerScan(program: Command): void {
  program
    .command("scan")
    .description("scan a host's network exposure (not implemented yet)")
    .argument("<host>", "host name or address to scan")
    .action(() => {
      throw new Error("scan is not implemented yet");
    });
}
