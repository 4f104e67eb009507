/**
 * Home Assistant MQTT discovery payloads for the guard's device (data apart from behaviour, as STYLE.md asks
 * of zigbee2mqtt's 124 KB file). Pure builders: the same input gives byte-identical JSON.
 */

export interface DiscoveryTopics {
  discoveryPrefix: string;
  baseTopic: string;
  nodeId: string;
}

export interface DiscoveryMessage {
  topic: string;
  payload: string;
}

interface EntitySpec {
  component: "sensor" | "binary_sensor" | "button";
  objectId: string;
  config: Record<string, unknown>;
}

export const stateTopic = (t: DiscoveryTopics) => `${t.baseTopic}/state`;
export const availabilityTopic = (t: DiscoveryTopics) => `${t.baseTopic}/availability`;
export const unbanAllTopic = (t: DiscoveryTopics) => `${t.baseTopic}/unban_all/set`;

function entities(t: DiscoveryTopics): EntitySpec[] {
  return [
    {
      component: "sensor",
      objectId: "failed_logins_24h",
      config: {
        name: "Failed logins (24 h)",
        icon: "mdi:account-alert",
        state_class: "measurement",
        unit_of_measurement: "logins",
        value_template: "{{ value_json.failures24h }}",
        state_topic: stateTopic(t),
      },
    },
    {
      component: "sensor",
      objectId: "active_bans",
      config: {
        name: "Active bans",
        icon: "mdi:shield-lock",
        state_class: "measurement",
        unit_of_measurement: "bans",
        value_template: "{{ value_json.activeBans }}",
        state_topic: stateTopic(t),
      },
    },
    {
      component: "sensor",
      objectId: "last_attacker",
      config: {
        name: "Last attacker",
        icon: "mdi:incognito",
        value_template: "{{ value_json.lastAttacker or 'none' }}",
        state_topic: stateTopic(t),
      },
    },
    {
      component: "binary_sensor",
      objectId: "under_attack",
      config: {
        name: "Under attack",
        device_class: "problem",
        value_template: "{{ 'ON' if value_json.underAttack else 'OFF' }}",
        state_topic: stateTopic(t),
      },
    },
    {
      component: "button",
      objectId: "unban_all",
      config: {
        name: "Unban all",
        icon: "mdi:lock-open-variant",
        command_topic: unbanAllTopic(t),
        payload_press: "PRESS",
      },
    },
  ];
}

/** One retained config message per entity, all on one device, all with the availability (last will) topic. */
export function discoveryMessages(t: DiscoveryTopics, version: string): DiscoveryMessage[] {
  const device = {
    identifiers: [`hassguard_${t.nodeId}`],
    name: "hassguard",
    manufacturer: "hassguard",
    model: "Login guard",
    sw_version: version,
  };
  return entities(t).map((entity) => ({
    topic: `${t.discoveryPrefix}/${entity.component}/${t.nodeId}/${entity.objectId}/config`,
    payload: JSON.stringify({
      ...entity.config,
      unique_id: `hassguard_${t.nodeId}_${entity.objectId}`,
      object_id: `hassguard_${entity.objectId}`,
      availability_topic: availabilityTopic(t),
      payload_available: "online",
      payload_not_available: "offline",
      device,
      origin: { name: "hassguard", sw: version },
    }),
  }));
}
