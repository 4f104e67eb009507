import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { processIds, spawnService } from "./service-process.js";

/** Resolves with the first line the child prints on stdout. */
async function firstLine(service: ReturnType<typeof spawnService>): Promise<string> {
  const stdout = service.child.stdout;
  if (stdout === null) throw new Error("no stdout");
  let text = "";
  while (!text.includes("\n")) {
    const [chunk] = (await once(stdout, "data")) as [Buffer];
    text += chunk.toString();
  }
  return text.slice(0, text.indexOf("\n"));
}

describe("test services run in a session of their own", () => {
  it("a service that signals its whole process group (as samba-dcerpcd does) cannot reach the test worker", async () => {
    // it signals its group only when told "go": were it in our group after all, a failed assertion below
    // (which closes its stdin) must not take the test run down with it
    const script = 'echo ready; read line; if [ "$line" = go ]; then kill -TERM 0; fi; sleep 30';
    const service = spawnService("sh", ["-c", script], { stdin: "pipe" });
    expect(await firstLine(service)).toBe("ready");
    const pid = service.child.pid ?? 0;
    const ids = processIds(pid);
    const ours = processIds(process.pid);
    // its own session and group, led by itself: not the worker's, not the test runner's
    expect(ids?.session).toBe(pid);
    expect(ids?.group).toBe(pid);
    expect(ids?.session).not.toBe(ours?.session);
    expect(ids?.group).not.toBe(ours?.group);

    const exited = once(service.child, "exit");
    service.child.stdin?.end("go\n");
    const [code, signal] = await exited;
    expect([code, signal]).toEqual([null, "SIGTERM"]);
    // and this worker is still here to say so
    expect(processIds(process.pid)?.state).toMatch(/[RS]/);
    await service.stop();
  });

  it("stopping a service also ends the helpers it left in its group", async () => {
    const service = spawnService("sh", ["-c", "sleep 300 & echo $!; wait"]);
    const helper = Number(await firstLine(service));
    expect(processIds(helper)?.group).toBe(service.child.pid);
    // the helper holds the service's stdout too: the pipe closes only once it has exited as well
    const everyWriterGone = once(service.child.stdout as NodeJS.EventEmitter, "close");
    await service.stop();
    await everyWriterGone;
    expect(["Z", undefined]).toContain(processIds(helper)?.state);
  });
});
