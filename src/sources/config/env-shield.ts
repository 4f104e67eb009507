import { parseDocument } from "yaml";

/**
 * Why this exists: the `yaml` package (2.9.1, the version in package.json) reads two debugging switches
 * from the environment while it parses — `process.env.LOG_TOKENS` once for every lexical token, in
 * `Parser.next` (node_modules/yaml/dist/parse/parser.js line 178; upstream eemeli/yaml
 * src/parse/parser.ts, `if (env.LOG_TOKENS) console.log(...)`, line 197 at tag v2.9.0), and
 * `process.env.LOG_STREAM` once for every top-level token of the stream, in `Composer.next`
 * (dist/compose/composer.js line 139; src/compose/composer.ts line 172 at v2.9.0). No public option turns
 * these reads off: `logLevel` governs warnings only, and `Parser` and `Composer` used directly read the
 * same. Upstream reads both once, at module load, since commit fb7de00 ("Drop imports from node:buffer and
 * node:process outside src/cli.ts", 2025-12-14), so far released only in the 3.0.0 pre-releases; with such
 * a version the self-test below sees no reads and this module steps aside.
 *
 * `process.env` is backed by the C environment: every read crosses into native code. Measured on this
 * two-core machine: 1.5 million reads (about the tokens of the 2,000-file benchmark home) 1.2 s, the same
 * reads through the shield below 7 ms; parsing and converting that home took 2.2 s of CPU with the shield
 * and 2.7 s without (median of 7 rounds in one process). A Proxy in front of the real object, which would
 * also forward writes and listings, was no faster than the real object (3.0 s), so it is not used.
 *
 * For the length of one synchronous call, `process.env` is replaced by an object that holds the two
 * switches itself (read once) and inherits every other key from the real environment, so every other read
 * still sees the live value. Who could observe the swap: only code that runs inside that call, since it is
 * synchronous — the `yaml` package and the tag callbacks of yaml-convert.ts, which read no other variable
 * and never write or list the environment. No other module, timer or callback runs meanwhile, and each
 * worker thread has its own `process.env`. The real object is back when the call returns or throws.
 * Only for such calls: a write inside one would land on the stand-in and be lost.
 */
const DEBUG_SWITCHES = ["LOG_TOKENS", "LOG_STREAM"] as const;

let shieldUseful: boolean | undefined;

/**
 * The self-test, once per process: `process.env` can be replaced and put back, and the `yaml` package
 * still reads its debugging switches through it while parsing. Otherwise the shield would change nothing
 * (or could not be put in place), and calls run as they are.
 */
export function shieldIsUseful(): boolean {
  if (shieldUseful !== undefined) return shieldUseful;
  shieldUseful = false;
  const live = process.env;
  let reads = 0;
  const counting: PropertyDescriptorMap = {};
  for (const name of DEBUG_SWITCHES) {
    counting[name] = {
      get: () => {
        reads++;
        return live[name];
      },
      enumerable: true,
    };
  }
  try {
    process.env = Object.create(live, counting) as NodeJS.ProcessEnv;
  } catch {
    return shieldUseful; // a host that froze `process`: the plain path
  }
  try {
    parseDocument("probe: [a, b]\n");
  } catch {
    reads = 0;
  } finally {
    process.env = live;
  }
  shieldUseful = reads > 0 && process.env === live;
  return shieldUseful;
}

/** Runs `run` (a synchronous call into the `yaml` package) with the debugging switches read once. */
export function withCheapDebugSwitches<T>(run: () => T): T {
  if (!shieldIsUseful()) return run();
  const live = process.env;
  const shield: PropertyDescriptorMap = {};
  for (const name of DEBUG_SWITCHES) shield[name] = { value: live[name], enumerable: true, writable: true };
  process.env = Object.create(live, shield) as NodeJS.ProcessEnv;
  try {
    return run();
  } finally {
    process.env = live;
  }
}
