/**
 * A rogue SSDP responder, run INSIDE the UPnP test's client namespace: it answers every M-SEARCH at once
 * with a LOCATION on another host (10.77.0.66, which does not exist), the way a hostile device would try
 * to send the probe somewhere else. Prints "ready" once it listens; stops after 60 s at the latest.
 */
import dgram from "node:dgram";

const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
socket.on("message", (message, remote) => {
  if (!message.toString("latin1").startsWith("M-SEARCH")) return;
  const answer = [
    "HTTP/1.1 200 OK",
    "CACHE-CONTROL: max-age=120",
    "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1",
    "USN: uuid:rogue::urn:schemas-upnp-org:device:InternetGatewayDevice:1",
    "LOCATION: http://10.77.0.66:5000/rootDesc.xml",
    "",
    "",
  ].join("\r\n");
  socket.send(answer, remote.port, remote.address);
});
socket.bind(1900, () => {
  socket.addMembership("239.255.255.250");
  process.stdout.write("ready\n");
});
setTimeout(() => socket.close(), 60_000).unref();
