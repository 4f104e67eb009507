import { createHash, randomBytes } from "node:crypto";

/**
 * Where the Supervisor source stopped. The Supervisor's log API gives one journal cursor per response, the
 * first entry's (`X-First-Cursor`, supervisor/api/host.py `advanced_logs_handler`, commit 00c94557), and
 * accepts systemd-journal-gatewayd's `Range: entries=<cursor>:<skip>:<count>`; the text it streams has no
 * entry boundaries (a MESSAGE with newlines is several lines). So a position is an anchor cursor and the
 * number of lines read from there, and each line's identity is a chain — a hash over the line and the chain
 * before it — which is what a resumed stream is checked against: two identical lines in a row get different
 * identities, and a re-read line gets the one it had.
 */

/** Lines compared when a reconnect skips ahead (their chain values are kept: `recent`). */
export const OVERLAP_LINES = 16;

export interface SupervisorMark {
  /** A journal cursor: the first entry of some response. */
  anchor: string;
  /** Lines read from the anchor's entry on. */
  lines: number;
  /** The chain before the anchor's first line. */
  base: string;
  /** The chain after the last line read (that line's identity). */
  chain: string;
  /** The last chain values, oldest first, ending with `chain` (at most OVERLAP_LINES + 1). */
  recent: string[];
}

export const chainStart = () => randomBytes(16).toString("base64url");

export const nextChain = (chain: string, text: string) =>
  createHash("sha256").update(chain).update("\n").update(text).digest("base64url");

/** The mark with one more line read. */
export function advance(mark: SupervisorMark, text: string): SupervisorMark {
  const chain = nextChain(mark.chain, text);
  const recent = [...mark.recent, chain];
  if (recent.length > OVERLAP_LINES + 1) recent.splice(0, recent.length - OVERLAP_LINES - 1);
  return { ...mark, lines: mark.lines + 1, chain, recent };
}

/** A new anchor whose first lines are `texts`, chained on from `base`. */
export function anchorAt(anchor: string, base: string, texts: readonly string[]): SupervisorMark {
  let mark: SupervisorMark = { anchor, lines: 0, base, chain: base, recent: [base] };
  for (const text of texts) mark = advance(mark, text);
  return mark;
}

export function formatSupervisorMark(mark: SupervisorMark): string {
  return JSON.stringify({ v: 2, ...mark });
}

/** A saved mark, or null (the first release saved a bare line hash: followed from the end again). */
export function parseSupervisorMark(text: string | null): SupervisorMark | null {
  if (!text?.startsWith("{")) return null;
  try {
    const value = JSON.parse(text) as Partial<SupervisorMark> & { v?: number };
    const strings = (list: unknown): list is string[] =>
      Array.isArray(list) && list.length > 0 && list.every((item) => typeof item === "string");
    if (
      value.v === 2 &&
      typeof value.anchor === "string" &&
      Number.isSafeInteger(value.lines) &&
      (value.lines ?? -1) >= 0 &&
      typeof value.base === "string" &&
      typeof value.chain === "string" &&
      strings(value.recent)
    ) {
      return {
        anchor: value.anchor,
        lines: value.lines ?? 0,
        base: value.base,
        chain: value.chain,
        recent: value.recent,
      };
    }
  } catch {
    // unreadable: no mark
  }
  return null;
}
