import dgram from "node:dgram";

/** SSDP (UPnP Device Architecture 2.0 §1.3): multicast M-SEARCH, unicast answers with a LOCATION. */
const SSDP_ADDRESS = "239.255.255.250";
const SSDP_PORT = 1900;
const SEARCH_TARGETS = [
  "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
  "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
];
const MAX_ANSWER_BYTES = 8192;
const MAX_ANSWERS = 64;
const ANSWER_GRACE_MS = 300;

export interface SsdpAnswer {
  /** Who answered. */
  address: string;
  location: string;
}

/**
 * Sends M-SEARCH for Internet gateways and collects answers for `waitMs`. Only answers whose LOCATION
 * points at the answering address are kept, so a stray responder cannot send the probe elsewhere.
 */
export function searchGateways(waitMs: number): Promise<SsdpAnswer[]> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
    const answers: SsdpAnswer[] = [];
    let received = 0;
    const finish = (): void => {
      clearTimeout(timer);
      socket.close();
      resolve(answers);
    };
    let timer = setTimeout(finish, waitMs);
    socket.on("error", finish);
    socket.on("message", (message, remote) => {
      if (++received > MAX_ANSWERS || message.length > MAX_ANSWER_BYTES) return;
      const text = message.toString("latin1");
      const location = /^location:\s*(\S+)/im.exec(text)?.[1];
      if (!text.startsWith("HTTP/1.1 200") || !location) return;
      let url: URL;
      try {
        url = new URL(location);
      } catch {
        return;
      }
      if (url.hostname !== remote.address) return;
      if (answers.some((a) => a.location === location)) return;
      answers.push({ address: remote.address, location });
      // A home has one gateway: once it answered, give others only a short moment.
      if (answers.length === 1) {
        clearTimeout(timer);
        timer = setTimeout(finish, ANSWER_GRACE_MS);
      }
    });
    socket.bind(0, () => {
      const mx = Math.max(1, Math.min(5, Math.floor(waitMs / 1000)));
      for (const st of SEARCH_TARGETS) {
        const search = [
          "M-SEARCH * HTTP/1.1",
          `HOST: ${SSDP_ADDRESS}:${SSDP_PORT}`,
          'MAN: "ssdp:discover"',
          `MX: ${mx}`,
          `ST: ${st}`,
          "",
          "",
        ].join("\r\n");
        socket.send(search, SSDP_PORT, SSDP_ADDRESS);
      }
    });
  });
}
