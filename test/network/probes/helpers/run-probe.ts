/**
 * Runs one probe and prints its result as JSON (`null` for "not this protocol"). Tests start it with
 * `ip netns exec NS node --import tsx run-probe.ts PROBE HOST PORT` so the probe talks to services inside
 * a namespace the test made, on ports (139, 445) that must never be touched on the machine's own loopback.
 */
import { probeMqtt } from "../../../../src/sources/network/probes/mqtt.js";
import { probeSmb } from "../../../../src/sources/network/probes/smb.js";
import { probeSsh } from "../../../../src/sources/network/probes/ssh.js";

const [probe, host = "127.0.0.1", port = "0"] = process.argv.slice(2);
// every probe in full, the login probes included (`--login-probes`); generous: the services in the namespace
// always answer, so the bound is never waited out on a busy machine
const opts = { timeoutMs: 60_000, maxBytes: 1024 * 1024, authMethods: true, anonymous: true, sessions: true };
const probes = { smb: probeSmb, ssh: probeSsh, mqtt: probeMqtt } as const;
const run = probes[probe as keyof typeof probes];
if (!run) throw new Error(`unknown probe ${probe}`);
process.stdout.write(JSON.stringify((await run(host, Number(port), opts)) ?? null));
