/**
 * The `yaml` package reads `process.env.LOG_TOKENS` once for every token it parses (a debugging switch in
 * `Parser.next`, yaml/dist/parse/parser.js) and `process.env.LOG_STREAM` once per document. `process.env` is
 * backed by the C environment: each read crosses into native code and takes a lock, about 0.3–0.5 µs, which
 * on a large home (1.5 million tokens) was a tenth of the whole audit.
 *
 * For the length of one synchronous call, `process.env` is replaced by an object that holds those two keys
 * itself (read once) and inherits every other key from the real environment, so any other read still sees
 * the live values. Nothing else can run in between (the call is synchronous), and the real object is put
 * back even when the call throws. Only for calls that read the environment and never write or list it.
 */
const DEBUG_SWITCHES = ["LOG_TOKENS", "LOG_STREAM"] as const;

export function withCheapDebugSwitches<T>(run: () => T): T {
  const live = process.env;
  const shield: PropertyDescriptorMap = {};
  for (const name of DEBUG_SWITCHES) shield[name] = { value: live[name], enumerable: true, writable: true };
  try {
    process.env = Object.create(live, shield) as NodeJS.ProcessEnv;
  } catch {
    return run(); // a host that froze `process` only loses the speed-up
  }
  try {
    return run();
  } finally {
    process.env = live;
  }
}
