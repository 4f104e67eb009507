import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * A Home Assistant stand-in that replays the responses a real Home Assistant 2023.11.3 sent (recorded in
 * test/fixtures/ha/2023.11.3, copied from shared/fixtures): byte for byte, Date headers included. Nothing
 * is invented: a path without a recording gets the recorded 404. The only computed value is the WebSocket
 * handshake's Sec-WebSocket-Accept, which RFC 6455 derives from the client's fresh key.
 *
 * It also keeps Home Assistant's log of what each client did, by the rules of Home Assistant's source (cited
 * in src/sources/network/probes/http.ts), so a test can prove a scan leaves no failed login:
 * - an answer of 401 (a view that requires authentication, asked without it) is a failed login: `ban_middleware`
 *   catches `HTTPUnauthorized` and calls `process_wrong_login` (http/ban.py lines 116-120); the recorded log
 *   shows exactly this line for `GET /api/`. At `loginAttemptsThreshold` failures the address is banned
 *   (ban.py `process_wrong_login`) and every later request gets the recorded 403 (ban.py lines 111-114);
 * - on the WebSocket, after `auth_required`: a text frame is an authentication attempt and, without a valid
 *   token, a failed login (websocket_api/auth.py line 130); a close frame ends quietly; a stream that ends
 *   without a close frame is logged by 2023.11 as "Disconnected: Received non-Text message." (aiohttp's
 *   `receive()` returns CLOSED, which websocket_api/http.py@019d9c64 lines 209-214 do not expect);
 * - bytes that are not an HTTP request (a TLS ClientHello) make aiohttp 3.8 log "Error handling request"
 *   with a traceback at ERROR (web_protocol.py `handle_error`). Only that log line is kept: the stand-in hangs
 *   up instead of inventing aiohttp's 400 answer.
 */
export type HaState = "pre-onboarding" | "onboarded" | "banned";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/ha/2023.11.3");
const read = (relative: string) => readFileSync(path.join(FIXTURES, relative));

const RESPONSES: Record<HaState, Record<string, string>> = {
  "pre-onboarding": {
    "/": "pre-onboarding/01-GET-root.http",
    "/api/": "pre-onboarding/02-GET-api-noauth.http",
    "/api/onboarding": "pre-onboarding/03-GET-api-onboarding.http",
    "/auth/providers": "pre-onboarding/04-GET-auth-providers.http",
    "/manifest.json": "pre-onboarding/05-GET-manifest.json.http",
  },
  onboarded: {
    "/": "authenticated/04-GET-root-llat.http",
    "/api/": "pre-onboarding/02-GET-api-noauth.http",
    "/api/onboarding": "onboarding/03-GET-api-onboarding-after-user.http",
    "/auth/providers": "onboarding/04-GET-auth-providers-after-user.http",
    // recorded with the frontend integration loaded
    "/manifest.json": "frontend-loaded/02-GET-manifest.json.http",
  },
  banned: {
    "/": "failed-logins/banned-04-GET-root.http",
    "/api/": "failed-logins/banned-01-GET-api-with-valid-llat.http",
    "/api/onboarding": "failed-logins/banned-02-GET-api-onboarding.http",
    "/auth/providers": "failed-logins/banned-03-GET-auth-providers.http",
    "/manifest.json": "failed-logins/banned-04-GET-root.http",
    "/api/websocket": "failed-logins/banned-05-websocket-handshake.http",
  },
};
const NOT_FOUND = "pre-onboarding/01-GET-root.http";

interface RecordedWebSocket {
  handshake: string;
  firstFrame: string;
}

/** The recorded WebSocket exchange (`08-websocket-hello.json`): the 101 response and the first text frame. */
function recordedWebSocket(): RecordedWebSocket {
  const log = JSON.parse(read("pre-onboarding/08-websocket-hello.json").toString("utf8")) as {
    dir: string;
    raw?: string;
    data?: string;
  }[];
  const handshake = log.find((e) => e.dir === "handshake_response")?.raw;
  const firstFrame = log.find((e) => e.dir === "recv")?.data;
  if (handshake === undefined || firstFrame === undefined) throw new Error("websocket recording incomplete");
  return { handshake, firstFrame };
}

function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  if (payload.length >= 126) throw new Error("recorded frame longer than this stand-in frames");
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

/** The recorded status code of a response file. */
function statusOf(response: Buffer): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response.subarray(0, 20).toString("latin1"))?.[1] ?? 0);
}

export interface StandInOptions {
  host?: string;
  /** `http: login_attempts_threshold` (the recorded instance had 3); 0 or less: never ban. */
  loginAttemptsThreshold?: number;
}

export interface StandIn {
  port: number;
  /** Requests seen (method and path), to prove what the probe did and did not send. */
  requests: string[];
  /** Home Assistant's log lines for what the clients did (WARNING and ERROR lines, as 2023.11.3 words them). */
  log: string[];
  /** Failed logins counted per client address (ban.py `KEY_FAILED_LOGIN_ATTEMPTS`). */
  failedLogins: Map<string, number>;
  /** Addresses banned meanwhile (ip_bans.yaml), besides those of a stand-in started as "banned". */
  banned: Set<string>;
  close: () => Promise<void>;
}

const FAILED_LOGIN =
  "WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication";

export async function startHaStandIn(state: HaState, hostOrOptions: string | StandInOptions = {}): Promise<StandIn> {
  const options = typeof hostOrOptions === "string" ? { host: hostOrOptions } : hostOrOptions;
  const host = options.host ?? "127.0.0.1";
  const threshold = options.loginAttemptsThreshold ?? 3;
  const ws = recordedWebSocket();
  const requests: string[] = [];
  const log: string[] = [];
  const failedLogins = new Map<string, number>();
  const banned = new Set<string>();
  const sockets = new Set<net.Socket>();
  const stamp = () => new Date().toISOString().replace("T", " ").replace("Z", "");

  const failedLogin = (remote: string, url: string, userAgent: string) => {
    const name = remote === "127.0.0.1" || remote === "::1" ? "localhost" : remote;
    log.push(`${stamp()} ${FAILED_LOGIN} from ${name} (${remote}). Requested URL: '${url}'. (${userAgent})`);
    const count = (failedLogins.get(remote) ?? 0) + 1;
    failedLogins.set(remote, count);
    if (threshold > 0 && count >= threshold && !banned.has(remote)) {
      banned.add(remote);
      log.push(
        `${stamp()} WARNING (MainThread) [homeassistant.components.http.ban] Banned IP ${remote} for too many login attempts`,
      );
    }
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const remote = socket.remoteAddress?.replace(/^::ffff:/, "") ?? "";
    let buffered = Buffer.alloc(0);
    const onRequestBytes = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // not an HTTP request (a TLS ClientHello, an MQTT CONNECT): aiohttp logs an error and hangs up
      if (!/^[A-Z]{0,7}$/.test(buffered.subarray(0, 7).toString("latin1").split(" ")[0] ?? "")) {
        log.push(`${stamp()} ERROR (MainThread) [aiohttp.server] Error handling request`);
        return void socket.destroy();
      }
      if (buffered.length > 64 * 1024) return void socket.destroy();
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString("latin1");
      socket.removeListener("data", onRequestBytes);
      const [method = "", target = ""] = head.split("\r\n")[0]?.split(" ") ?? [];
      const pathOnly = target.split("?")[0] ?? "";
      const userAgent = /^user-agent:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? "None";
      requests.push(`${method} ${pathOnly}`);
      const isBanned = state === "banned" || banned.has(remote);
      const routes = RESPONSES[isBanned ? "banned" : state];
      if (pathOnly === "/api/websocket" && !isBanned) {
        const key = /^sec-websocket-key:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? "";
        const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
        // only the value is replaced: the recorded line keeps its own CRLF (a stray CR is a malformed head)
        socket.write(ws.handshake.replace(/^Sec-WebSocket-Accept: [^\r\n]*/m, `Sec-WebSocket-Accept: ${accept}`));
        socket.write(textFrame(ws.firstFrame));
        awaitAuthMessage(
          socket,
          () => failedLogin(remote, pathOnly, userAgent),
          (line) => log.push(`${stamp()} ${line}`),
        );
        return;
      }
      const response = read(routes[pathOnly] ?? NOT_FOUND);
      if (!isBanned && statusOf(response) === 401) failedLogin(remote, pathOnly, userAgent);
      socket.end(response);
    };
    socket.on("data", onRequestBytes);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    requests,
    log,
    failedLogins,
    banned,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Home Assistant's auth phase: what the client's first frame after `auth_required` leads to. */
function awaitAuthMessage(socket: net.Socket, onFailedLogin: () => void, onLog: (line: string) => void): void {
  let frame = Buffer.alloc(0);
  let decided = false;
  const warnNonText = () => {
    if (decided) return;
    decided = true;
    onLog(
      "WARNING (MainThread) [homeassistant.components.websocket_api.http.connection] Disconnected: Received non-Text message.",
    );
  };
  socket.on("data", (chunk: Buffer) => {
    if (decided) return;
    frame = Buffer.concat([frame, chunk]);
    if (frame.length < 2) return;
    decided = true;
    const opcode = (frame[0] ?? 0) & 0x0f;
    if (opcode === 0x8) {
      socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8])); // aiohttp answers the close frame and closes
    } else if (opcode === 0x1) {
      onFailedLogin();
      socket.end(textFrame('{"type":"auth_invalid","message":"Invalid access token or password"}'));
    } else {
      onLog(
        "WARNING (MainThread) [homeassistant.components.websocket_api.http.connection] Disconnected: Received non-Text message.",
      );
      socket.end();
    }
  });
  socket.once("end", warnNonText);
  socket.once("close", warnNonText);
}
