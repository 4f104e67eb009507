import { defineCheck } from "../../model/check.js";
import { count, pick } from "../../model/words.js";
import { hostPort, openPorts } from "./open-ports.js";

export const mqttTopicsLeak = defineCheck({
  id: "mqtt/topics-leak",
  title: "MQTT broker shows its topics to anonymous clients",
  severity: "medium",
  area: "network",
  checklist: "privacy",
  formerIds: ["network/mqtt-topics-leak"],
  needs: ["network"],
  description:
    "An anonymous subscriber to `homeassistant/#` and `$SYS/#` received messages. Discovery topics under " +
    "`homeassistant/` list the home's devices and the command topics that control them; `$SYS` gives the broker's " +
    "version and clients. This is what an intruder on the network reads first.",
  remediation:
    "Require authentication on the broker (see mqtt/anonymous) and, for finer control, an ACL that gives " +
    "each client only its own topics and hides `$SYS` from all but administrators.",
  sources: [
    "https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery (discovery topics under homeassistant/)",
    "mosquitto(8): $SYS topics",
    "shared ha-facts.md (nmap mqtt-subscribe shows leaked homeassistant/# discovery)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const mqtt = open.port.mqtt;
      if (!mqtt?.anonymousAccepted || !mqtt.topicCount) return [];
      const ha = mqtt.homeAssistantTopicCount ?? 0;
      const examples = (mqtt.samples ?? []).slice(0, 5).map((s) => `${s.topic} = ${s.payload}`);
      return [
        {
          severity: ha > 0 ? ("medium" as const) : ("low" as const),
          message: `An anonymous client on ${hostPort(open)} saw ${topicsSentence(mqtt.topicCount, ha)}`,
          location: open.location,
          evidence: examples.join("; "),
        },
      ];
    });
  },
});

/** `3 topics, 1 of them a Home Assistant discovery topic describing the home's devices.` */
export function topicsSentence(topics: number, discovery: number): string {
  const seen = count(topics, "topic");
  if (discovery === 0) return `${seen} (broker internals).`;
  const which =
    discovery === topics
      ? pick(topics, "a Home Assistant discovery topic", "all of them Home Assistant discovery topics")
      : `${discovery} of them ${pick(discovery, "a Home Assistant discovery topic", "Home Assistant discovery topics")}`;
  return `${seen}, ${which} describing the home's devices.`;
}
