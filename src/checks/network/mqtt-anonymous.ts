import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { hostPort, openPorts } from "./open-ports.js";

export const mqttAnonymous = defineCheck({
  id: "mqtt/anonymous",
  title: "MQTT broker accepts anonymous clients",
  severity: "high",
  area: "network",
  checklist: "password",
  formerIds: ["network/mqtt-anonymous"],
  needs: ["network"],
  description:
    "The broker accepted a CONNECT with no user name and no password. Anyone who reaches it can read every message " +
    "(sensor values, presence, alarm states) and publish to command topics: switch lights, open covers and locks, " +
    "disarm an alarm, or inject fake devices through MQTT discovery (`homeassistant/...`).",
  remediation:
    "Turn anonymous access off: in the Mosquitto add-on, add users under `logins` (or use Home Assistant users) and " +
    "remove any `allow_anonymous true` from the customize folder (`/share/mosquitto/*.conf`); for another Mosquitto " +
    "set `allow_anonymous false` with a `password_file`. Offer MQTT over TLS (8883) if it leaves the LAN, never forward 1883.",
  sources: [
    "OASIS MQTT 3.1.1 §3.2.2.3 (CONNACK return codes: 0 accepted, 5 not authorized)",
    "mosquitto.conf(5): allow_anonymous",
    "home-assistant/addons mosquitto CHANGELOG 6.0.0 (anonymous logins removed), see shared ha-facts.md §5",
    "shared seeds: ha-blog-2018-security-port-scans.md (mqtt-subscribe on the default add-on)",
  ],
  run(facts) {
    const notAsked: FindingDraft[] = openPorts(facts)
      .filter((open) => open.port.mqtt?.anonymousNotAsked === true)
      .map((open) => ({
        severity: "info",
        message:
          `Whether the MQTT broker on ${hostPort(open)} accepts anonymous clients was not asked: Mosquitto logs a ` +
          "refused anonymous client as it logs a wrong password. Run the scan with --login-probes to ask, or check " +
          "`allow_anonymous` in its configuration.",
        location: open.location,
        evidence: `CONNACK ${open.port.mqtt?.connackCode} to a CONNECT of an unsupported protocol level (no login)`,
      }));
    return openPorts(facts)
      .filter((open) => open.port.mqtt?.anonymousAccepted === true)
      .map((open): FindingDraft => {
        const transport = open.port.mqtt?.transport ?? "mqtt";
        return {
          message:
            `The MQTT broker on ${hostPort(open)} (${transport}) accepted an anonymous client` +
            (transport === "mqtt" || transport === "ws" ? ", over an unencrypted connection." : "."),
          location: open.location,
          evidence: `CONNACK 0 to a CONNECT without credentials${open.port.mqtt?.brokerVersion ? `; ${open.port.mqtt.brokerVersion}` : ""}`,
        };
      })
      .concat(notAsked);
  },
});
