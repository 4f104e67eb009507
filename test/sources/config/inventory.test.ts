import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { takeInventory } from "../../../src/sources/config/inventory.js";
import { LIMITS } from "../../../src/sources/config/limits.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeTree(root);
});

function tree(files: Record<string, string | Buffer>): string {
  const root = makeTree(files, "hassguard-inventory-");
  roots.push(root);
  return root;
}

/** A sparse file: `size` bytes on disk's terms, with `pieces` written at their offsets. */
function sparse(file: string, size: number, pieces: [number, Buffer][]): void {
  const fd = openSync(file, "w");
  try {
    for (const [offset, bytes] of pieces) writeSync(fd, bytes, 0, bytes.length, offset);
    writeSync(fd, Buffer.from([0]), 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
}

const MiB = 1024 * 1024;

describe("the inventory", () => {
  it("tells content by its first bytes: a photo named .txt is skipped, a note named .jpg is read", async () => {
    const root = tree({
      "www/holiday.txt": Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
        Buffer.from("password = not-text-at-all\0"),
      ]),
      "www/note.jpg": "wifi_password = Tulip-Harbour-2023\n",
      "www/font.woff2": Buffer.concat([Buffer.from("wOF2"), Buffer.alloc(64, 1)]),
      "www/card.js.gz": Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3]),
      "www/plain.bin": Buffer.from("header\0binary\0password=Embedded-Secret-77-in-a-blob\0"),
    });
    const inventory = await takeInventory(root);
    const file = (p: string) => inventory.files.find((f) => f.path === p);
    expect(file("www/holiday.txt")).toMatchObject({ content: "media", contentType: "image" });
    expect(inventory.binaryStrings.has("www/holiday.txt")).toBe(false);
    expect(file("www/note.jpg")).toMatchObject({ content: "text", contentType: "text" });
    expect(inventory.texts.get("www/note.jpg")).toContain("Tulip-Harbour-2023");
    expect(file("www/font.woff2")).toMatchObject({ content: "media", contentType: "font" });
    // a precompressed twin is an archive by its bytes, and never inflated or listed
    expect(file("www/card.js.gz")).toMatchObject({ content: "archive", contentType: "gzip" });
    expect(file("www/card.js.gz")?.archive).toBeUndefined();
    expect(file("www/plain.bin")).toMatchObject({ content: "binary", contentType: "binary" });
    expect(inventory.binaryStrings.get("www/plain.bin")).toContain("Embedded-Secret-77");
  });

  it("searches a gigabyte recorder database only in its first megabytes", async () => {
    const root = tree({ "configuration.yaml": "default_config:\n" });
    const early = Buffer.from("\0access_token=early-token-0123456789abcdef\0");
    const late = Buffer.from("\0access_token=late-token-0123456789abcdef\0");
    sparse(path.join(root, "home-assistant_v2.db"), 1024 * MiB, [
      [0, Buffer.from("SQLite format 3\0")],
      [1 * MiB, early],
      [LIMITS.maxBinaryScanBytes + MiB, late],
    ]);
    const inventory = await takeInventory(root);
    const db = inventory.files.find((f) => f.path === "home-assistant_v2.db");
    expect(db).toMatchObject({ content: "binary", contentType: "sqlite", searchedBytes: LIMITS.maxBinaryScanBytes });
    const strings = inventory.binaryStrings.get("home-assistant_v2.db") ?? "";
    expect(strings).toContain("early-token");
    expect(strings).not.toContain("late-token");
  });

  it("shares one budget between binary files and names the ones it had to leave unsearched", async () => {
    const root = tree({ "configuration.yaml": "default_config:\n" });
    const count = LIMITS.maxBinaryScanTotalBytes / LIMITS.maxBinaryScanBytes + 2;
    const name = (i: number) => `blob-${String(i).padStart(2, "0")}.bin`;
    for (let i = 0; i < count; i++) {
      sparse(path.join(root, name(i)), LIMITS.maxBinaryScanBytes, [[0, Buffer.from([0, 1, 2, 3])]]);
    }
    const inventory = await takeInventory(root);
    const unsearched = inventory.files.filter((f) => f.path.endsWith(".bin") && f.content === "unread");
    expect(unsearched.map((f) => f.path)).toEqual([name(count - 2), name(count - 1)]);
    expect(inventory.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^64 MiB of binary files searched for secrets; 2 more binary files were not searched: blob-\d+\.bin, blob-\d+\.bin$/,
      ),
    );
  });
});
