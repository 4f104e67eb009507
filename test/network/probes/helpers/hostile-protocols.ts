import net from "node:net";

/**
 * Peers that start like the real protocol and then turn hostile: the probe has already decided "this is
 * SSH/MQTT/SMB" and must still stay within its bounds. Each handler gets the socket once the peer spoke.
 */
export type HostileProtocolPeer =
  | "ssh-huge-packet"
  | "mqtt-publish-flood"
  | "mqtt-huge-length"
  | "smb-huge-frame"
  | "smb-truncated";

const SSH_BANNER = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

function mqttPublish(topic: string, payload: Buffer): Buffer {
  const topicBytes = Buffer.from(topic);
  const body = Buffer.concat([Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]), topicBytes, payload]);
  const length: number[] = [];
  let rest = body.length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), body]);
}

function behave(peer: HostileProtocolPeer, sock: net.Socket): void {
  switch (peer) {
    case "ssh-huge-packet":
      sock.write(SSH_BANNER);
      sock.once("data", () => sock.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x04, 0x14])));
      break;
    case "mqtt-publish-flood":
      sock.once("data", () => {
        sock.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK: accepted
        let sent = 0;
        const pump = (): void => {
          // at most 32 MiB, so the hostile peer itself stays bounded
          while (sent < 32_768 && !sock.destroyed) {
            const ok = sock.write(mqttPublish(`homeassistant/sensor/n${sent}/config`, Buffer.alloc(1000, 0x61)));
            sent++;
            if (!ok) return void sock.once("drain", pump);
          }
        };
        pump();
      });
      break;
    case "mqtt-huge-length":
      sock.once("data", () => sock.write(Buffer.from([0x20, 0xff, 0xff, 0xff, 0x7f])));
      break;
    case "smb-huge-frame":
      sock.once("data", () => sock.write(Buffer.from([0x00, 0xff, 0xff, 0xff])));
      break;
    case "smb-truncated":
      sock.once("data", () => {
        const header = Buffer.alloc(64);
        header.write("\xfeSMB", 0, "latin1");
        header.writeUInt16LE(64, 4);
        header.writeUInt32LE(1, 16); // a response
        sock.write(Buffer.concat([Buffer.from([0, 0, 0, 70]), header, Buffer.alloc(6)]));
      });
      break;
  }
}

export function startHostileProtocolPeer(
  peer: HostileProtocolPeer,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    sock.on("close", () => sockets.delete(sock));
    behave(peer, sock);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const sock of sockets) sock.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
