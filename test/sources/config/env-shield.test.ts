import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDocument } from "yaml";
import { shieldIsUseful, withCheapDebugSwitches } from "../../../src/sources/config/env-shield.js";

/** Runs `run` with a `process.env` that counts reads of LOG_TOKENS (and otherwise is the real one). */
function countingTokenReads(run: () => void): number {
  const live = process.env;
  let reads = 0;
  process.env = Object.create(live, {
    LOG_TOKENS: {
      get: () => {
        reads++;
        return live.LOG_TOKENS;
      },
      enumerable: true,
    },
  }) as NodeJS.ProcessEnv;
  try {
    run();
  } finally {
    process.env = live;
  }
  return reads;
}

const manyTokens = `${Array.from({ length: 200 }, (_, i) => `key${i}: [a, b, c]`).join("\n")}\n`;

describe("the environment shield around the yaml parser", () => {
  const saved = process.env.LOG_TOKENS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOG_TOKENS;
    else process.env.LOG_TOKENS = saved;
    vi.restoreAllMocks();
  });

  it("is used exactly when the yaml package reads LOG_TOKENS for every token (2.x does; 3.x reads it once)", () => {
    const small = countingTokenReads(() => parseDocument("a: b\n"));
    const large = countingTokenReads(() => parseDocument(manyTokens));
    expect(large).toBeGreaterThan(1000);
    expect(large).toBeGreaterThan(small);
    expect(shieldIsUseful()).toBe(large > 0);
  });

  it("reads each switch once per call however many tokens the text has", () => {
    expect(shieldIsUseful()).toBe(true); // the self-test's own reads happen here, not below
    const reads = countingTokenReads(() => withCheapDebugSwitches(() => parseDocument(manyTokens)));
    expect(reads).toBe(1);
  });

  it("keeps the switch working: LOG_TOKENS set still makes the parser print its tokens", () => {
    process.env.LOG_TOKENS = "1";
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    withCheapDebugSwitches(() => parseDocument("a: b\n"));
    expect(log).toHaveBeenCalled();
    expect(log.mock.calls[0]?.[0]).toBe("|");
  });
});
