import net from "node:net";

export interface ClosingRelay {
  port: number;
  close: () => Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1 between a probe and a real server. It forwards both ways untouched and, once the
 * server has sent every one of `until` (byte strings, e.g. MQTT topics: a server's frames are not masked,
 * plain or over websockets), ends the probe's side of the connection right after forwarding them.
 *
 * Why: the MQTT probe listens for a while and reports what arrived. A test that waits a fixed listening
 * time fails on a busy machine when the broker's answer comes late; through this relay the probe may listen
 * as long as it likes and still returns as soon as what the test expects has reached it: an event, not a
 * time. The server itself is real and unchanged.
 */
export function startClosingRelay(targetPort: number, until: readonly string[]): Promise<ClosingRelay> {
  const needles = until.map((text) => Buffer.from(text));
  const longest = Math.max(1, ...needles.map((n) => n.length));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const sock of [client, upstream]) {
      sockets.add(sock);
      sock.on("error", () => {});
      sock.on("close", () => sockets.delete(sock));
    }
    client.on("close", () => upstream.destroy());
    // end(), never destroy(), towards the probe: what was already written still reaches it
    upstream.on("close", () => client.end());
    client.pipe(upstream);
    const missing = new Set(needles);
    let tail = Buffer.alloc(0);
    upstream.on("data", (chunk: Buffer) => {
      client.write(chunk);
      if (missing.size === 0) return;
      // a needle may straddle two chunks: search the end of the last chunk together with this one
      const window = Buffer.concat([tail, chunk]);
      for (const needle of missing) if (window.includes(needle)) missing.delete(needle);
      tail = window.subarray(Math.max(0, window.length - longest + 1));
      if (missing.size === 0) {
        // end() sends FIN after everything written so far: the probe reads it all, then sees the close
        client.end();
        upstream.destroy();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const sock of sockets) sock.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
