import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { FileSource } from "../../src/guard/sources/file-source.js";
import { waitFor } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "hassguard-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let source: FileSource | null = null;
afterEach(async () => {
  await source?.stop();
  source = null;
});

async function follow(path: string, fromStart = false): Promise<string[]> {
  const bus = new GuardBus();
  const lines: string[] = [];
  bus.on({}, "line", ({ text }) => lines.push(text));
  source = new FileSource(bus, { path, fromStart, pollMs: 100 });
  await source.start();
  return lines;
}

describe("file source", () => {
  it("starts at the end of an existing file and follows appends", async () => {
    const path = join(dir, "append.log");
    writeFileSync(path, "old line\n");
    const lines = await follow(path);
    appendFileSync(path, "new 1\nnew ");
    appendFileSync(path, "2\n");
    await waitFor(() => lines.length === 2, 3000, "two new lines");
    expect(lines).toEqual(["new 1", "new 2"]);
  });

  it("survives rotation by rename: the rest of the old file, then the new one", async () => {
    const path = join(dir, "rotate.log");
    writeFileSync(path, "");
    const lines = await follow(path);
    appendFileSync(path, "before\n");
    await waitFor(() => lines.length === 1);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, "late write to the old file\n");
    writeFileSync(path, "first of the new file\n");
    await waitFor(() => lines.length === 3, 3000, "lines after rotation");
    expect(lines).toEqual(["before", "late write to the old file", "first of the new file"]);
  });

  it("survives copy-and-truncate", async () => {
    const path = join(dir, "truncate.log");
    writeFileSync(path, "");
    const lines = await follow(path);
    appendFileSync(path, "a long line before truncation\n");
    await waitFor(() => lines.length === 1);
    truncateSync(path, 0);
    await source?.settle();
    appendFileSync(path, "after\n");
    await waitFor(() => lines.length === 2, 3000, "line after truncation");
    expect(lines[1]).toBe("after");
  });

  it("Home Assistant's reset at start: the file replaced by a shorter one", async () => {
    const path = join(dir, "reset.log");
    writeFileSync(path, "");
    const lines = await follow(path);
    appendFileSync(path, "run one, line one\nrun one, line two\n");
    await waitFor(() => lines.length === 2);
    // HA keeps the previous run as .1 and starts an empty log (fresh inode)
    renameSync(path, `${path}.1`);
    writeFileSync(path, "run two\n");
    await waitFor(() => lines.length === 3, 3000, "the new run's line");
    expect(lines[2]).toBe("run two");
  });

  it("waits for a missing file and reads it from the start when it appears", async () => {
    const path = join(dir, "later.log");
    const bus = new GuardBus();
    const warnings: string[] = [];
    const lines: string[] = [];
    bus.on({}, "warning", ({ message }) => warnings.push(message));
    bus.on({}, "line", ({ text }) => lines.push(text));
    source = new FileSource(bus, { path, pollMs: 100 });
    await source.start();
    expect(warnings[0]).toContain("does not exist");
    writeFileSync(path, "hello\n");
    await waitFor(() => lines.length === 1, 3000, "the first line");
    expect(lines).toEqual(["hello"]);
    unlinkSync(path);
    await source.settle();
    writeFileSync(path, "again\n");
    await waitFor(() => lines.length === 2, 3000, "the line of the recreated file");
  });

  it("cuts overlong lines and keeps going", async () => {
    const path = join(dir, "long.log");
    writeFileSync(path, `${"x".repeat(5_000_000)}\nshort\n`);
    const lines = await follow(path, true);
    await waitFor(() => lines.length === 2, 5000, "both lines");
    expect(lines[0]?.length).toBeLessThanOrEqual(16_384);
    expect(lines[1]).toBe("short");
  });
});
