import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { GuardConfig } from "./config.js";
import { MarkerLineScanner } from "./line-scanner.js";
import { REPLAY_MARKERS, Replay, type ReplayResult } from "./replay.js";

/** Replays a whole stream (a log file, or stdin) and returns the decisions. */
export async function replayStream(stream: Readable, config: GuardConfig): Promise<ReplayResult> {
  const replay = new Replay(config);
  let decoded = 0;
  const scanner = new MarkerLineScanner(REPLAY_MARKERS, (line) => {
    decoded++;
    replay.line(line);
  });
  for await (const chunk of stream) scanner.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  scanner.flush();
  replay.countOnly(scanner.lines - decoded);
  return replay.result();
}

export async function replayFile(path: string, config: GuardConfig): Promise<ReplayResult> {
  return replayStream(createReadStream(path, { highWaterMark: 1 << 20 }), config);
}
