import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../helpers/cli.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeTree(root);
});

// Root reads every file whatever its mode, so the "cannot read" paths are exercised as the `nobody` user.
const asNobody = process.getuid?.() === 0 && spawnSync("runuser", ["--help"]).status === 0;

describe.skipIf(!asNobody)("files the auditing user may not read", () => {
  it("reports each unreadable file and folder by name and audits the rest", () => {
    const root = makeTree({
      "configuration.yaml": "a: !include private.yaml\nb: !include_dir_named locked\nc: 1\n",
      "private.yaml": "x: 1\n",
      "locked/y.yaml": "y: 1\n",
      "www/notes.txt": "hello\n",
    });
    roots.push(root);
    chmodSync(root, 0o755);
    chmodSync(path.join(root, "private.yaml"), 0o000);
    chmodSync(path.join(root, "locked"), 0o000);
    mkdirSync(path.join(root, "www"), { recursive: true });
    const script = `
      const { loadConfig } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "src/sources/config/index.ts"))});
      const { facts, errors } = await loadConfig(${JSON.stringify(root)});
      const c = facts.configuration.entries.map((e) => [e.key, e.value.kind === "scalar" ? e.value.value : e.value.kind]);
      process.stdout.write(JSON.stringify({ c, errors, notes: facts.texts.has("www/notes.txt") }));`;
    const result = spawnSync(
      "runuser",
      ["-u", "nobody", "--", process.execPath, "--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as {
      c: [string, unknown][];
      errors: { file?: string; message: string }[];
      notes: boolean;
    };
    expect(out.c).toEqual([
      ["a", null],
      ["b", "map"],
      ["c", 1],
    ]);
    expect(out.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "private.yaml", message: expect.stringMatching(/cannot read file: EACCES/) }),
        expect.objectContaining({ file: "locked", message: expect.stringMatching(/cannot list folder: EACCES/) }),
      ]),
    );
    expect(out.notes).toBe(true);
  });
});

describe("special files", () => {
  it("never blocks on a named pipe where YAML is expected", () => {
    const root = makeTree({ "configuration.yaml": "a: !include pipe.yaml\nb: 2\n" });
    roots.push(root);
    expect(spawnSync("mkfifo", [path.join(root, "pipe.yaml")]).status).toBe(0);
    const script = `
      const { loadConfig } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "src/sources/config/index.ts"))});
      const { facts, errors } = await loadConfig(${JSON.stringify(root)});
      process.stdout.write(JSON.stringify({ b: facts.configuration.entries[1].value.value, errors, pipe: facts.files.find((f) => f.path === "pipe.yaml") }));`;
    // in a child with a time limit: a reader that opened the pipe would wait forever for a writer
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.signal).toBeNull();
    const out = JSON.parse(result.stdout) as { b: number; errors: { message: string }[]; pipe: { type: string } };
    expect(out.b).toBe(2);
    expect(out.pipe.type).toBe("other");
    expect(out.errors.map((e) => e.message)).toContain("pipe.yaml is not a file");
  });
});
