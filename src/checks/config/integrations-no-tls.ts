import { defineCheck } from "../../model/check.js";
import { integrationConfigs } from "../../model/config-query.js";
import type { FindingDraft } from "../../model/finding.js";
import { maskUrlCredentials } from "../../model/mask.js";
import type { Severity } from "../../model/severity.js";
import { get, isMap, isScalar, scalarString, type YMap } from "../../model/yaml-node.js";
import { locateInEntries, uiConfigEntries } from "./config-entries.js";
import { credentialKeyKind } from "./credential-patterns.js";
import { isTrue, parseUrl } from "./http-settings.js";
import { hostLocality, type Locality } from "./ip-ranges.js";
import { visitEntries } from "./walk.js";
import { at, dotted } from "./where.js";

/** Cleartext to another machine: high across the Internet, low inside the LAN, nothing on this host. */
function severityFor(locality: Locality): Severity | undefined {
  return locality === "remote" ? "high" : locality === "lan" ? "low" : undefined;
}

const CLEARTEXT_SCHEMES = new Set(["http:", "ws:", "mqtt:", "tcp:", "ftp:", "redis:", "amqp:", "telnet:"]);
const URL_KEYS = new Set(["url", "resource", "base_url", "host_url", "server", "endpoint", "uri"]);

/** A map that carries credentials: a key named like one, `username`, or an Authorization header. */
function hasCredentials(map: YMap): boolean {
  return map.entries.some(
    (e) =>
      credentialKeyKind(e.key) !== undefined ||
      e.key === "username" ||
      (e.key === "headers" && isMap(e.value) && e.value.entries.some((h) => h.key.toLowerCase() === "authorization")),
  );
}

export const integrationsNoTls = defineCheck({
  id: "integrations/no-tls",
  title: "Integration sends credentials or data without TLS",
  severity: "medium",
  area: "config",
  checklist: "tls",
  needs: ["config"],
  description:
    "An integration talks to another machine without encryption while logging in to it: an MQTT broker without " +
    "a certificate (in YAML or set up in the UI), a recorder database URL (MySQL/MariaDB/PostgreSQL) without SSL, InfluxDB with `ssl` off, or " +
    "a REST/command URL that starts with `http://` next to a password, token or Authorization header. The " +
    "credentials and everything the home reports cross the network in clear text. To a host on the Internet this " +
    "is high; inside the LAN it is low (readable by any compromised device there); on this machine or its " +
    "container network (add-on names such as `core-mosquitto`) it is not reported.",
  remediation:
    "Turn on TLS: MQTT port 8883 with `certificate`, `?ssl=true` / `sslmode=verify-full` in `db_url`, " +
    "`ssl: true` (and `verify_ssl: true`) for InfluxDB, `https://` URLs. If the server cannot do TLS, keep it on " +
    "the same host or behind a VPN.",
  sources: [
    "https://www.home-assistant.io/integrations/mqtt/",
    "https://www.home-assistant.io/integrations/recorder/#custom-database-engines",
    "https://www.home-assistant.io/integrations/influxdb/",
    "homeassistant/components/recorder/const.py (db_url: any SQLAlchemy URL)",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    const add = (locality: Locality, draft: Omit<FindingDraft, "severity">) => {
      const severity = severityFor(locality);
      if (severity !== undefined) findings.push({ severity, ...draft });
    };

    for (const mqtt of integrationConfigs(config, "mqtt")) {
      const broker = get(mqtt.node, "broker");
      const host = scalarString(broker);
      if (host === undefined || !isScalar(broker)) continue;
      const port = Number(scalarString(get(mqtt.node, "port")) ?? 1883);
      if (get(mqtt.node, "certificate") !== undefined || port === 8883) continue;
      add(hostLocality(host), {
        message: `MQTT broker ${host}:${port} is used without TLS (no \`certificate\`): the login and every message travel in clear text.`,
        location: at(broker.pos),
        evidence: `broker: ${host}, port: ${port}`,
      });
    }

    // MQTT set up in the UI (the usual way since 2022.3): the broker settings live in the config entry
    for (const entry of uiConfigEntries(config)) {
      if (entry.domain !== "mqtt" || typeof entry.data.broker !== "string") continue;
      const host = entry.data.broker;
      const port = typeof entry.data.port === "number" ? entry.data.port : 1883;
      const certificate = entry.data.certificate;
      if ((certificate !== undefined && certificate !== null && certificate !== false) || port === 8883) continue;
      add(hostLocality(host), {
        message: `MQTT broker ${host}:${port} (set up in the UI) is used without TLS: the login and every message travel in clear text.`,
        location: locateInEntries(config, "broker", host),
        evidence: `broker: ${host}, port: ${port}`,
      });
    }

    for (const recorder of integrationConfigs(config, "recorder")) {
      const dbUrl = get(recorder.node, "db_url");
      const text = scalarString(dbUrl);
      const url = text === undefined ? undefined : parseUrl(text);
      if (url === undefined || !isScalar(dbUrl) || !/^(mysql|mariadb|postgres|postgresql)/.test(url.protocol)) continue;
      if (
        /[?&](ssl|sslmode|ssl_mode|ssl_ca|ssl_cert|tls)=/i.test(url.search) &&
        !/sslmode=disable|ssl=false|ssl_mode=disabled/i.test(url.search)
      )
        continue;
      add(hostLocality(url.hostname), {
        message: `The recorder database ${url.hostname} is reached without SSL: the database login and the home's history travel in clear text.`,
        location: at(dbUrl.pos),
        evidence: `db_url: ${maskUrlCredentials(text ?? "")}`,
      });
    }

    for (const influx of integrationConfigs(config, "influxdb")) {
      const hostNode = get(influx.node, "host");
      const host = scalarString(hostNode);
      if (host === undefined || !isScalar(hostNode)) continue;
      const version2 = scalarString(get(influx.node, "api_version")) === "2";
      const sslNode = get(influx.node, "ssl");
      // InfluxDB v1 defaults to ssl off, v2 to ssl on (influxdb/__init__.py)
      const ssl = sslNode === undefined ? version2 : isTrue(sslNode);
      if (ssl) continue;
      add(hostLocality(host), {
        message: `InfluxDB at ${host} is used without SSL: its credentials and the home's data travel in clear text.`,
        location: at(hostNode.pos),
        evidence: `host: ${host}, ssl: ${sslNode === undefined ? "(default off)" : "false"}`,
      });
    }

    // any other integration: a cleartext URL beside credentials (rest, rest_command, notify, ...)
    const seen = new Set<string>();
    visitEntries(config.configuration, (path, entry, parent) => {
      if (!URL_KEYS.has(entry.key) || !isScalar(entry.value)) return;
      const text = scalarString(entry.value);
      if (text === undefined || !text.includes("://")) return;
      const url = parseUrl(text);
      if (url === undefined || !CLEARTEXT_SCHEMES.has(url.protocol)) return;
      if (!hasCredentials(parent) && url.password === "") return;
      const key = `${entry.value.pos.file}:${entry.value.pos.line}:${entry.value.pos.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      add(hostLocality(url.hostname), {
        message: `\`${dotted([...path, entry.key])}\` sends credentials to ${url.hostname} over ${url.protocol.replace(":", "")} without TLS.`,
        location: at(entry.value.pos),
        evidence: `${entry.key}: ${maskUrlCredentials(text)}`,
      });
    });
    return findings;
  },
});
