import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exposureSigns } from "../../../src/checks/exposure.js";
import { checksOf } from "../../../src/checks/index.js";
import { runChecks } from "../../../src/model/engine.js";
import type { Facts } from "../../../src/model/facts.js";
import type { Finding } from "../../../src/model/finding.js";
import type { NetworkFacts } from "../../../src/model/network-facts.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { readStorage } from "../../../src/sources/storage/index.js";
import { audit, brief, cleanTrees, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

const NOW = new Date("2026-11-23T12:00:00Z");

async function factsOf(root: string, network?: NetworkFacts): Promise<Facts> {
  const { facts } = await loadConfig(root, {});
  return {
    config: facts,
    ...(network === undefined ? {} : { network }),
    missing: {},
    errors: [],
    now: NOW,
  };
}

const threshold = (findings: Finding[]) => findings.filter((f) => f.id === "http/login-threshold-unset");

/** A self-signed certificate for `name`, made by OpenSSL (PEM text). */
function certificateFor(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hassguard-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "30",
        "-subj",
        `/CN=${name}`,
        "-addext",
        `subjectAltName=DNS:${name}`,
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore", timeout: 20_000 },
    );
    return readFileSync(path.join(dir, "cert.pem"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the exposure fact: signs that the home is reachable from the Internet", () => {
  it("says so when nothing shows exposure: the unset threshold is low and says what was looked for", async () => {
    const { findings } = await audit(
      writeTree({
        "configuration.yaml":
          "homeassistant:\n  internal_url: http://192.168.1.20:8123\n  external_url: http://192.168.1.20:8123\nhttp:\n",
        // a LAN-only proxy configuration without a proxy_pass to Home Assistant, a self-signed LAN name
        "nginx/default.conf": "server { listen 80; root /var/www; }\n",
      }),
    );
    expect(brief(threshold(findings))).toEqual([{ severity: "low", at: "configuration.yaml:4:1" }]);
    expect(threshold(findings)[0]?.message).toContain("No sign of remote exposure was seen");
  });

  it("names each kind of sign found in the folder, and rates the unset threshold medium", async () => {
    const cases: [string, Record<string, string>, string][] = [
      [
        "public external_url",
        { "configuration.yaml": "homeassistant:\n  external_url: https://home.example.org\n" },
        "`external_url` https://home.example.org (configuration.yaml:2:17)",
      ],
      [
        "use_x_forwarded_for",
        {
          "configuration.yaml": "http:\n  use_x_forwarded_for: true\n  trusted_proxies: [172.30.33.0/24]\n",
        },
        "a reverse proxy (`use_x_forwarded_for: true`) (configuration.yaml:2:3)",
      ],
      [
        "Nginx Proxy Manager add-on",
        {
          "configuration.yaml": "default_config:\n",
          "addon_configs/a0d7b954_nginxproxymanager/options.json": '{"mariadb": false}\n',
        },
        "the proxy or tunnel add-on `a0d7b954_nginxproxymanager`",
      ],
      [
        "nginx configuration",
        {
          "configuration.yaml": "default_config:\n",
          "nginx/ha.conf": "server {\n  listen 443 ssl;\n  location / { proxy_pass http://127.0.0.1:8123; }\n}\n",
        },
        "an nginx proxy configuration (nginx/ha.conf)",
      ],
      [
        "Caddyfile",
        {
          "configuration.yaml": "default_config:\n",
          Caddyfile: "ha.example.org {\n  reverse_proxy homeassistant:8123\n}\n",
        },
        "a Caddy reverse proxy (Caddyfile)",
      ],
      [
        "Let's Encrypt add-on",
        {
          "configuration.yaml": "default_config:\n",
          "backup/core_letsencrypt/options.json": '{"domains": ["ha.example.org"], "email": "me@example.org"}\n',
        },
        "a public certificate for ha.example.org (add-on `core_letsencrypt`)",
      ],
      [
        "letsencrypt certificate path",
        {
          "configuration.yaml": "http:\n  ssl_certificate: /etc/letsencrypt/live/ha.example.org/fullchain.pem\n",
        },
        "a certificate for ha.example.org (`ssl_certificate`)",
      ],
      [
        "Home Assistant Cloud remote access",
        {
          "configuration.yaml": "default_config:\n",
          ".storage/cloud": JSON.stringify({ version: 1, key: "cloud", data: { remote_enabled: true } }),
        },
        "Home Assistant Cloud remote access is on (.storage/cloud)",
      ],
      [
        "cloud: block",
        { "configuration.yaml": "cloud:\n" },
        "Home Assistant Cloud is configured (`cloud:`) (configuration.yaml:1:1)",
      ],
    ];
    for (const [name, files, sign] of cases) {
      const { findings } = await audit(writeTree(files));
      const found = threshold(findings);
      expect(
        brief(found).map((f) => f.severity),
        name,
      ).toEqual(["medium"]);
      expect(found[0]?.message, name).toContain(sign);
    }
  });

  it("reads a certificate kept in the folder: a public name is a sign, a LAN name is not", async () => {
    const publicCert = certificateFor("ha.example.org");
    const lanCert = certificateFor("homeassistant.local");
    const config = "http:\n  ssl_certificate: /config/ssl/fullchain.pem\n  ssl_key: /config/ssl/privkey.pem\n";
    const exposed = await factsOf(writeTree({ "configuration.yaml": config, "ssl/fullchain.pem": publicCert }));
    expect(exposureSigns(exposed).map((s) => s.what)).toEqual(["a certificate for ha.example.org (`ssl_certificate`)"]);
    const lan = await factsOf(writeTree({ "configuration.yaml": config, "ssl/fullchain.pem": lanCert }));
    expect(exposureSigns(lan)).toEqual([]);
  });

  it("does not take remote access turned off, an internal URL or a LAN base_url for exposure", async () => {
    const facts = await factsOf(
      writeTree({
        "configuration.yaml":
          "cloud:\nhomeassistant:\n  internal_url: https://ha.example.org\nhttp:\n  base_url: 10.0.0.5:8123\n",
        ".storage/cloud": JSON.stringify({ version: 1, key: "cloud", data: { remote_enabled: false } }),
      }),
    );
    expect(exposureSigns(facts)).toEqual([]);
  });

  it("counts a UPnP forward to Home Assistant's port (from the scan), not one to another port", async () => {
    const root = writeTree({ "configuration.yaml": "http:\n  server_port: 8124\n" });
    const mapping = (internalPort: number, enabled = true) => ({
      externalPort: 443,
      internalPort,
      protocol: "TCP" as const,
      internalClient: "192.168.1.20",
      description: "forward",
      enabled,
      remoteHost: "",
      leaseSeconds: 0,
    });
    const network = (ports: ReturnType<typeof mapping>[]): NetworkFacts => ({
      hosts: [],
      upnp: { targetHost: "192.168.1.20", mappings: ports, entriesRead: ports.length },
    });
    const forwarded = await factsOf(root, network([mapping(8124), mapping(22)]));
    const run = runChecks(checksOf("config"), forwarded);
    const found = threshold(run.findings);
    expect(found.map((f) => f.severity)).toEqual(["medium"]);
    expect(found[0]?.message).toContain("the router forwards Internet port 443 to 192.168.1.20:8124 (UPnP)");
    const other = runChecks(checksOf("config"), await factsOf(root, network([mapping(22), mapping(8124, false)])));
    expect(threshold(other.findings).map((f) => f.severity)).toEqual(["low"]);
  });

  it("raises an administrator who may log in from anywhere to medium on an exposed home", async () => {
    const auth = {
      version: 1,
      minor_version: 1,
      key: "auth",
      data: {
        users: [
          {
            id: "a314953c456d46418ba459e6ebb542fd",
            group_ids: ["system-admin"],
            is_owner: true,
            is_active: true,
            name: "Ada",
            system_generated: false,
            local_only: false,
          },
        ],
        groups: [{ id: "system-admin", name: "Administrators" }],
        credentials: [],
        refresh_tokens: [],
      },
    };
    const severityFor = async (configuration: string) => {
      const root = writeTree({ "configuration.yaml": configuration, ".storage/auth": JSON.stringify(auth) });
      const facts = await factsOf(root);
      const storage = await readStorage(root, { passwordBudgetSeconds: 0, now: NOW });
      if (storage.facts !== undefined) facts.storage = storage.facts;
      const found = runChecks(checksOf("storage"), facts).findings.filter((f) => f.id === "users/admin-not-local-only");
      return found.map((f) => [f.severity, f.message.includes("external_url")]);
    };
    expect(await severityFor("default_config:\n")).toEqual([["low", false]]);
    expect(await severityFor("homeassistant:\n  external_url: https://ha.example.org\n")).toEqual([["medium", true]]);
  });
});
