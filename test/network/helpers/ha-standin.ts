import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * A Home Assistant stand-in that replays the responses a real Home Assistant 2023.11.3 sent (recorded in
 * test/fixtures/ha/2023.11.3, copied from shared/fixtures): byte for byte, Date headers included. Nothing
 * is invented: a path without a recording gets the recorded 404. The only computed value is the WebSocket
 * handshake's Sec-WebSocket-Accept, which RFC 6455 derives from the client's fresh key.
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

export interface StandIn {
  port: number;
  /** Requests seen (method and path), to prove what the probe did and did not send. */
  requests: string[];
  close: () => Promise<void>;
}

export async function startHaStandIn(state: HaState, host = "127.0.0.1"): Promise<StandIn> {
  const ws = recordedWebSocket();
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      // not an HTTP request (a TLS ClientHello, an MQTT CONNECT): hang up, as an HTTP server does
      if (!/^[A-Z]{0,7}$/.test(buffered.subarray(0, 7).toString("latin1").split(" ")[0] ?? ""))
        return void socket.destroy();
      if (buffered.length > 64 * 1024) return void socket.destroy();
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString("latin1");
      socket.removeAllListeners("data");
      const [method = "", target = ""] = head.split("\r\n")[0]?.split(" ") ?? [];
      const pathOnly = target.split("?")[0] ?? "";
      requests.push(`${method} ${pathOnly}`);
      const routes = RESPONSES[state];
      if (pathOnly === "/api/websocket" && state !== "banned") {
        const key = /^sec-websocket-key:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? "";
        const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
        socket.write(ws.handshake.replace(/^Sec-WebSocket-Accept: .*$/m, `Sec-WebSocket-Accept: ${accept}\r`));
        socket.write(textFrame(ws.firstFrame));
        return; // Home Assistant then waits for auth; so do we (the client closes)
      }
      socket.end(read(routes[pathOnly] ?? NOT_FOUND));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
