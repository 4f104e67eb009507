import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARCHIVE_LIMITS, listArchive } from "../../../src/sources/config/archive-listing.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeTree(root);
});

/** A folder shaped like a configuration, to archive with the real tools (zip, GNU tar, gzip). */
function configFolder(): string {
  const root = makeTree(
    {
      "config/configuration.yaml": "default_config:\n",
      "config/secrets.yaml": "mqtt_password: Oak-Lantern-4471\n",
      "config/.storage/auth": "{}\n",
    },
    "hassguard-archive-",
  );
  roots.push(root);
  return root;
}

const run = (cwd: string, command: string, ...args: string[]) =>
  execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });

describe("listing an archive without extracting it", () => {
  it("reads a zip's central directory", async () => {
    const root = configFolder();
    run(root, "zip", "-qr", "backup.zip", "config");
    const listing = await listArchive(path.join(root, "backup.zip"), "zip");
    expect(listing.complete).toBe(true);
    expect(listing.entries).toEqual(
      expect.arrayContaining(["config/configuration.yaml", "config/secrets.yaml", "config/.storage/auth"]),
    );
  });

  it("walks a tar's headers past a large member, with GNU and pax long names", async () => {
    const root = configFolder();
    const long = `config/${"deep/".repeat(25)}secrets.yaml`;
    mkdirSync(path.join(root, path.dirname(long)), { recursive: true });
    writeFileSync(path.join(root, long), "x: y\n");
    // a 64 MiB member before the interesting names: the headers after it are reached by seeking, not reading
    writeFileSync(path.join(root, "config/home-assistant_v2.db"), "");
    truncateSync(path.join(root, "config/home-assistant_v2.db"), 64 * 1024 * 1024);
    for (const format of ["gnu", "pax"]) {
      run(root, "tar", `--format=${format}`, "-cf", `${format}.tar`, "config/home-assistant_v2.db", "config", long);
      const listing = await listArchive(path.join(root, `${format}.tar`), "tar");
      expect(listing.format, format).toBe("tar");
      expect(listing.complete, format).toBe(true);
      expect(listing.entries, format).toEqual(expect.arrayContaining(["config/secrets.yaml", long]));
    }
  });

  it("lists a .tar.gz from its first megabytes and names the file inside a single gzip", async () => {
    const root = configFolder();
    run(root, "tar", "-czf", "config.tar.gz", "config");
    const tarGz = await listArchive(path.join(root, "config.tar.gz"), "gzip");
    expect(tarGz).toMatchObject({ format: "tar.gz", complete: true });
    expect(tarGz.entries).toContain("config/.storage/auth");
    writeFileSync(path.join(root, "dump.sql"), "-- MariaDB dump\nCREATE TABLE states (state_id INT);\n");
    run(root, "gzip", "-k", "dump.sql");
    expect(await listArchive(path.join(root, "dump.sql.gz"), "gzip")).toEqual({
      format: "gzip",
      entries: ["dump.sql"],
      complete: true,
    });
  });

  it("stops at its bounds and says why, on huge, damaged and unsupported archives", async () => {
    const root = configFolder();
    const many = path.join(root, "many");
    mkdirSync(many);
    for (let i = 0; i <= ARCHIVE_LIMITS.maxEntries; i++) writeFileSync(path.join(many, `card-${i}.js`), "");
    run(root, "zip", "-qr", "many.zip", "many");
    const huge = await listArchive(path.join(root, "many.zip"), "zip");
    expect(huge).toMatchObject({ complete: false, problem: `more than ${ARCHIVE_LIMITS.maxEntries} entries` });
    expect(huge.entries).toHaveLength(ARCHIVE_LIMITS.maxEntries);

    const zip = readFileSync(path.join(root, "many.zip"));
    writeFileSync(path.join(root, "cut.zip"), zip.subarray(0, zip.length - 100));
    const cut = await listArchive(path.join(root, "cut.zip"), "zip");
    expect(cut.complete).toBe(false);
    expect(cut.problem).toMatch(/not a readable zip|damaged/);

    // 64 MiB of zeros compress to 64 KiB: only the first 16 MiB are ever inflated, so the names behind them stay
    // unseen and the listing says it stopped
    writeFileSync(path.join(root, "zeros.bin"), "");
    truncateSync(path.join(root, "zeros.bin"), 64 * 1024 * 1024);
    run(root, "tar", "-czf", "big.tar.gz", "zeros.bin", "config");
    const big = await listArchive(path.join(root, "big.tar.gz"), "gzip");
    expect(big).toEqual({
      format: "tar.gz",
      entries: ["zeros.bin"],
      complete: false,
      problem: "only the first megabytes were decompressed",
    });

    // a hostile name never reaches the report through the reason (yauzl quotes it after a colon)
    run(
      root,
      "python3",
      "-c",
      "import zipfile; z = zipfile.ZipFile('evil.zip', 'w'); z.writestr('../../\u202eevil\x1b[31m.yaml', 'x'); z.close()",
    );
    const evil = await listArchive(path.join(root, "evil.zip"), "zip");
    expect(evil.complete).toBe(false);
    for (const part of ["evil", "\u202e", "\x1b"]) expect(evil.problem).not.toContain(part);

    writeFileSync(path.join(root, "garbage.gz"), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    expect((await listArchive(path.join(root, "garbage.gz"), "gzip")).problem).toMatch(/not a readable gzip stream/);
    expect(await listArchive(path.join(root, "garbage.gz"), "7z")).toEqual({
      format: "unsupported",
      entries: [],
      complete: false,
      problem: "7z archives are not listed",
    });
  });
});
