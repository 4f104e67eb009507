import { afterEach, describe, expect, it } from "vitest";
import { audit, brief, cleanTrees, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

function providers(lines: string[], http: string[] = []): Record<string, string> {
  return {
    "configuration.yaml": [
      "homeassistant:",
      "  auth_providers:",
      "    - type: homeassistant",
      ...lines,
      ...http,
      "",
    ].join("\n"),
  };
}

describe("auth providers", () => {
  it("flags trusted_networks bypass, broad and public networks, each at its line", async () => {
    const { findings } = await audit(
      writeTree(
        providers([
          "    - type: trusted_networks",
          "      trusted_networks:",
          "        - 0.0.0.0/0",
          "        - 192.168.0.0/16",
          "        - 198.51.100.0/24",
          "        - 192.168.1.50/32",
          "        - fd00::/8",
          "      allow_bypass_login: true",
        ]),
      ),
    );
    const pick = (id: string) => brief(findings.filter((f) => f.id === id));
    expect(pick("auth/trusted-networks-bypass")).toEqual([{ severity: "high", at: "configuration.yaml:11:7" }]);
    expect(pick("auth/trusted-networks-broad")).toEqual([
      { severity: "critical", at: "configuration.yaml:6:11" },
      { severity: "high", at: "configuration.yaml:7:11" },
      { severity: "high", at: "configuration.yaml:8:11" },
      { severity: "high", at: "configuration.yaml:10:11" },
    ]);
    // no proxies configured: nothing to combine with
    expect(pick("auth/trusted-networks-with-broad-proxies")).toEqual([]);
  });

  it("accepts a narrow trusted_networks without bypass", async () => {
    const { findings } = await audit(
      writeTree(providers(["    - type: trusted_networks", "      trusted_networks:", "        - 192.168.1.50"])),
    );
    expect(findings.filter((f) => f.id.startsWith("auth/"))).toEqual([]);
  });

  it("is critical when broad trusted_proxies let clients forge a trusted address", async () => {
    const http = ["http:", "  use_x_forwarded_for: true", "  trusted_proxies:", "    - 10.0.0.0/8"];
    const tree = providers(["    - type: trusted_networks", "      trusted_networks:", "        - 192.168.1.50"], http);
    const { findings } = await audit(writeTree(tree));
    expect(brief(findings.filter((f) => f.id === "auth/trusted-networks-with-broad-proxies"))).toEqual([
      { severity: "critical", at: "configuration.yaml:4:13" },
    ]);
    // a proxy list of one address is fine
    const narrow = { "configuration.yaml": tree["configuration.yaml"]?.replace("10.0.0.0/8", "172.30.33.0/24") ?? "" };
    const again = await audit(writeTree(narrow));
    expect(again.findings.filter((f) => f.id === "auth/trusted-networks-with-broad-proxies")).toEqual([]);
  });

  it("flags legacy_api_password as critical and command_line as medium, masking nothing needed", async () => {
    const { findings } = await audit(
      writeTree(
        providers([
          "    - type: legacy_api_password",
          "      api_password: !secret api_pw",
          "    - type: command_line",
          "      command: /usr/local/bin/ldap-login",
        ]),
      ),
    );
    expect(brief(findings.filter((f) => f.id === "auth/legacy-api-password"))).toEqual([
      { severity: "critical", at: "configuration.yaml:4:13" },
    ]);
    const commandLine = findings.filter((f) => f.id === "auth/command-line-provider");
    expect(brief(commandLine)).toEqual([{ severity: "medium", at: "configuration.yaml:6:13" }]);
    expect(commandLine[0]?.message).toContain("/usr/local/bin/ldap-login");
  });
});
