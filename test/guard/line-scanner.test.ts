import { describe, expect, it } from "vitest";
import { MarkerLineScanner } from "../../src/guard/line-scanner.js";
import { LineSplitter } from "../../src/guard/line-splitter.js";
import { failLine } from "./helpers.js";

const MARK = "[homeassistant.components.http.";

/** Feeds the same bytes, cut at the given sizes, to the full splitter and to the fast scanner. */
function both(text: string, sizes: number[]) {
  const bytes = Buffer.from(text, "utf8");
  const all: string[] = [];
  const picked: string[] = [];
  const splitter = new LineSplitter((line) => all.push(line));
  const scanner = new MarkerLineScanner([MARK], (line) => picked.push(line));
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = sizes[i++ % sizes.length] ?? 1;
    const chunk = bytes.subarray(at, at + size);
    splitter.push(Buffer.from(chunk));
    scanner.push(Buffer.from(chunk));
    at += size;
  }
  splitter.flush();
  scanner.flush();
  return { all, picked, lines: scanner.lines };
}

describe("the replay's fast line scanner agrees with the full line splitter", () => {
  const cases: [string, string][] = [
    ["ordinary lines", `a\n${failLine("203.0.113.1")}\nb\n${failLine("2001:db8::1")}\n`],
    ["no newline at the end", `x\n${failLine("203.0.113.2")}`],
    ["empty lines and CRLF", `\n\n${failLine("203.0.113.3")}\r\n\r\nz`],
    [
      "an overlong line with the marker at its start",
      `${failLine("203.0.113.4")}${"A".repeat(40_000)}\nafter\n${failLine("203.0.113.5")}\n`,
    ],
    ["an overlong line without the marker", `${"B".repeat(50_000)}\n${failLine("203.0.113.6")}\n`],
    ["multi-byte text split anywhere", `ünïcödé ✓\n${failLine("203.0.113.7", "/auth/login_flow/ä", "ägent ✓")}\n`],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      for (const sizes of [[1], [3, 7], [64], [1000, 1], [1 << 20]]) {
        const { all, picked, lines } = both(text, sizes);
        expect(lines).toBe(all.length);
        expect(picked).toEqual(all.filter((line) => line.includes(MARK)));
      }
    });
  }
});
