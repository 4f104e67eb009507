// `npm run bench`: every benchmark, each against its reference tool measured in the same run.
// `npm run bench -- spray guard` runs only those whose title contains one of the words.
import { benchConfigAudit, benchLiveHome } from "./config-audit.js";

type Bench = () => Promise<string[]>;

/** Benchmarks owned by other parts load by name, so one missing or failing part never stops the rest. */
async function optional(module: string, name: string): Promise<Bench | undefined> {
  try {
    const loaded = (await import(module)) as Record<string, unknown>;
    const fn = loaded[name];
    return typeof fn === "function" ? (fn as Bench) : undefined;
  } catch (error) {
    process.stderr.write(`(skipping ${module}: ${error instanceof Error ? error.message : String(error)})\n`);
    return undefined;
  }
}

const benches: [string, Bench | undefined][] = [
  ["configuration audit", benchConfigAudit],
  ["weak-password order (30 realistic passwords)", await optional("./password-order.js", "benchPasswordOrder")],
  ["configuration audit of a live home (HACS, media, recorder database)", benchLiveHome],
  ["weak-password check (bcrypt)", await optional("./bcrypt.js", "benchBcrypt")],
  ["network scan vs nmap", await optional("./scan.js", "benchScan")],
  ["guard vs fail2ban", await optional("./guard.js", "benchGuard")],
  ["guard under a spray of 1,000,000 addresses", await optional("./guard-spray.js", "benchGuardSpray")],
];
const only = process.argv.slice(2);

let failed = false;
for (const [title, bench] of benches) {
  if (only.length > 0 && !only.some((word) => title.includes(word))) continue;
  process.stdout.write(`\n== ${title}\n`);
  if (bench === undefined) {
    process.stdout.write("not available\n");
    continue;
  }
  try {
    for (const line of await bench()) process.stdout.write(`${line}\n`);
  } catch (error) {
    failed = true;
    process.stdout.write(`FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
