import { lstat } from "node:fs/promises";
import { connect } from "node:net";
import {
  type ControlRequest,
  type ControlResults,
  controlResponseSchema,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
} from "./protocol.js";

/** The guard refused the request (invalid, or it could not act), or answered something that is not an answer. */
export class GuardControlError extends Error {
  override name = "GuardControlError";
}

export type GuardAnswer<K extends keyof ControlResults> =
  | { running: true; result: ControlResults[K] }
  | { running: false; why: string };

/**
 * Asks the running guard over its control socket. `running: false` when no guard listens there (no socket,
 * or one left by a guard that was killed): the caller falls back to the store and says so. A socket that
 * belongs to another user is not trusted (another user could have put an impostor there) and one we may
 * not use is an error, never a silent fallback.
 */
export async function askGuard<K extends ControlRequest["op"]>(
  path: string,
  request: Extract<ControlRequest, { op: K }>,
  timeoutMs = 60_000,
): Promise<GuardAnswer<K>> {
  const line = `${JSON.stringify(request)}\n`;
  if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) throw new GuardControlError("request too large");
  const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw new GuardControlError(`cannot look at the control socket '${path}': ${error.message}`);
  });
  if (!stat) return { running: false, why: `no guard is running (no control socket at ${path})` };
  if (!stat.isSocket()) throw new GuardControlError(`'${path}' is not a socket`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) {
    throw new GuardControlError(`the control socket '${path}' belongs to uid ${stat.uid}, not to you: not trusting it`);
  }
  const text = await exchange(path, line, timeoutMs);
  if (text === null) return { running: false, why: `no guard is running (nothing listens on ${path})` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new GuardControlError("the guard's answer is not JSON");
  }
  const response = controlResponseSchema.safeParse(data);
  if (!response.success) throw new GuardControlError("the guard's answer has an unknown shape");
  if (!response.data.ok) throw new GuardControlError(`the guard refused: ${response.data.error}`);
  return { running: true, result: response.data.result as unknown as ControlResults[K] };
}

/** Sends one line and reads one back; null when nothing listens on the socket. */
function exchange(path: string, line: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(
      () => settle(() => reject(new GuardControlError(`the guard did not answer within ${timeoutMs / 1000} s`))),
      timeoutMs,
    );
    socket.once("connect", () => socket.write(line));
    socket.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        settle(() => reject(new GuardControlError(`the guard's answer is larger than ${MAX_RESPONSE_BYTES} bytes`)));
        return;
      }
      chunks.push(chunk);
      if (chunk.includes(10)) settle(() => resolve(Buffer.concat(chunks).toString("utf8").split("\n")[0] ?? ""));
    });
    socket.once("end", () => settle(() => resolve(Buffer.concat(chunks).toString("utf8"))));
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED" || error.code === "ENOENT") settle(() => resolve(null));
      else if (error.code === "EACCES" || error.code === "EPERM") {
        settle(() =>
          reject(
            new GuardControlError(`permission denied on the control socket '${path}': the guard is another user's`),
          ),
        );
      } else settle(() => reject(new GuardControlError(`control socket '${path}': ${error.message}`)));
    });
  });
}
