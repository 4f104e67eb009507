import { describe, expect, it } from "vitest";
import {
  credentialKeyKind,
  describeJwt,
  isPlaceholder,
  judgeAssignment,
  scanText,
} from "../../../src/checks/config/credential-patterns.js";
import {
  contains,
  hostLocality,
  isBroad,
  isLoopback,
  isPrivate,
  parseNetwork,
} from "../../../src/checks/config/ip-ranges.js";

describe("credential key names", () => {
  it("knows credential keys in every spelling and not their look-alikes", () => {
    for (const key of [
      "password",
      "wifi_password",
      "MYSQL_ROOT_PASSWORD",
      "apiKey",
      "x-api-key",
      "client_secret",
      "token",
      "access_token",
      "webhook_id",
      "credential",
    ]) {
      expect(credentialKeyKind(key), key).toBeDefined();
    }
    for (const key of [
      "username",
      "password_file",
      "token_type",
      "require_password",
      "key",
      "pin",
      "ssl_key",
      "token_url",
      "password_pre_hashed",
    ]) {
      expect(credentialKeyKind(key), key).toBeUndefined();
    }
  });

  it("treats references, templates and placeholders as no credential", () => {
    for (const value of [
      "!secret x",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${VAR}` is the input under test
      "${PASS}",
      "$PASS",
      "{{ states('x') }}",
      "<your password>",
      "",
      "process.env.TOKEN",
      "/ssl/key.pem",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${VAR}` is the input under test
      "Bearer ${token}",
    ]) {
      expect(isPlaceholder(value), value).toBe(true);
    }
    expect(isPlaceholder("hunter2")).toBe(false);
    expect(judgeAssignment("CONF_PASSWORD", "password")).toEqual([]);
    expect(judgeAssignment("password", 1234)).toHaveLength(1);
    expect(judgeAssignment("password", true)).toEqual([]);
  });

  it("recognises a Home Assistant token by its issuer and lifetime", () => {
    const llat =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3OTRhM2JkNjJiNTQ0NDM2YjA5NjhmMmIyZGFjNDQxYiIsImlhdCI6MTc5NTQ1NDMxMSwiZXhwIjoyMTEwODE0MzExfQ.UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs";
    expect(describeJwt(llat)).toBe("Home Assistant long-lived access token, valid until 2036-11-20");
    const foreign = `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from('{"sub":"someone-else-entirely"}').toString("base64url")}.c2lnbmF0dXJlc2lnbmF0dXJl`;
    expect(describeJwt(foreign)).toBeUndefined();
  });

  it("scans text line by line with columns, skipping comments", () => {
    const matches = scanText(
      "# password: old\nuser = bob\npassword = s3cret-Value\nurl: https://u:p4ss@h.example/x\n",
      {
        quotedOnly: false,
      },
    );
    expect(matches.map((m) => [m.kind, m.line, m.column, m.evidence])).toEqual([
      ["password", 3, 1, "password: s3***"],
      ["URL with password", 4, 1, "https://u:***@h.example/x"],
    ]);
  });
});

describe("address ranges", () => {
  it("parses networks and judges their breadth and place", () => {
    const anyV4 = parseNetwork("0.0.0.0/0");
    expect(anyV4 && isBroad(anyV4)).toBe(true);
    const proxy = parseNetwork("172.30.33.0/24");
    expect(proxy && isBroad(proxy)).toBe(false);
    expect(proxy && contains(proxy, "172.30.33.7")).toBe(true);
    expect(proxy && contains(proxy, "::ffff:172.30.33.7")).toBe(true);
    expect(parseNetwork("10.0.0.0/33")).toBeUndefined();
    expect(parseNetwork("not-an-ip")).toBeUndefined();
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isPrivate("192.168.1.5")).toBe(true);
    expect(isPrivate("8.8.8.8")).toBe(false);
    expect(hostLocality("core-mosquitto")).toBe("internal");
    expect(hostLocality("homeassistant.local")).toBe("lan");
    expect(hostLocality("mqtt.example.org")).toBe("remote");
  });
});

describe("maskUrlCredentials", () => {
  it("masks the whole password, even with a raw @ or / in it, and never less than that", async () => {
    const { maskUrlCredentials } = await import("../../../src/model/mask.js");
    expect(maskUrlCredentials("mysql://hass:p@ss@192.168.1.30/db?x=1")).toBe("mysql://hass:***@192.168.1.30/db?x=1");
    expect(maskUrlCredentials("mysql://hass:pa/ss@db/ha")).toBe("mysql://hass:***@db/ha");
    expect(maskUrlCredentials("https://u:pw@host/path?mail=a@b.c")).toBe("https://u:***@host/path?mail=a@b.c");
    expect(maskUrlCredentials("http://host/path@x")).toBe("http://host/path@x");
    expect(maskUrlCredentials("http://host:8123/api")).toBe("http://host:8123/api");
    const found = scanText("db_url: mysql://hass:Sec@ret/x@db.example.org/ha\n", { quotedOnly: false });
    expect(JSON.stringify(found)).not.toContain("Sec@ret");
    expect(JSON.stringify(found)).not.toContain("ret/x");
  });
});

describe("placeholders of shared configurations", () => {
  it("knows the placeholders people publish, and not real values", () => {
    for (const value of [
      "MY_WIFI_PASSWORD",
      "PASSWORD_MQTT",
      "NOME_UTENTE_MQTT",
      "PASSWORD",
      "<password>",
      "[PASS]",
      "**REDACTED**",
      "[REDACTED]",
      "changeme",
      "change_me",
      "your_api_key",
      "enter-token-here",
      "password",
      "xxxxxxxx",
      "xxxx-xxxx-xxxx",
      "********",
      "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
      "00000000000000000000000000000000",
      "00000000-0000-0000-0000-000000000000",
      "00aa00aa00aa00aa00aa00aa00aa00aa",
      "abcdefghijklmnopqrstuvw-g",
      "str",
      "str?",
      "password?",
      "match(^smb://.+$)",
      "(.*)",
      "[^&]+",
      "\\S+",
    ]) {
      expect(isPlaceholder(value), value).toBe(true);
    }
    for (const value of [
      "hunter2",
      "Sommer-Regen-2019",
      "4f8a2c9e1b7d3a6f5e0c8b2d9a1f7e3c",
      "ABCDEF1234ABCDEF",
      "Xk9mQ2pL7vR4",
      "correct horse battery staple",
      "password123",
    ]) {
      expect(isPlaceholder(value), value).toBe(false);
    }
  });

  it("skips a user:password pair of words in a URL, but not a chosen password", () => {
    const found = (text: string) => scanText(text, { quotedOnly: false }).map((m) => m.kind);
    expect(found("db_url: mysql://user:password@core-mariadb/homeassistant\n")).toEqual([]);
    expect(found("url: mqtt://username:secret@broker\n")).toEqual([]);
    expect(found("db_url: mysql://hass:Maple-Ridge-4410@core-mariadb/ha\n")).toEqual(["URL with password"]);
  });

  it("needs a body before a PEM block counts as a private key, also across lines and in code strings", () => {
    const body =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n";
    const key = `-----BEGIN PRIVATE KEY-----\n${body}-----END PRIVATE KEY-----\n`;
    expect(scanText(key, { quotedOnly: false }).map((m) => [m.kind, m.line])).toEqual([["private key", 1]]);
    expect(scanText("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n", { quotedOnly: false })).toEqual(
      [],
    );
    expect(
      scanText('KEY = "-----BEGIN RSA PRIVATE KEY-----\\n-----END RSA PRIVATE KEY-----"\n', { quotedOnly: true }),
    ).toEqual([]);
    const inJson = JSON.stringify({ private_key: key });
    expect(scanText(inJson, { quotedOnly: true }).map((m) => m.kind)).toEqual(["private key"]);
  });

  it("reads sed, perl and regular expressions as patterns, not values", () => {
    const script = [
      "sed -i -E 's/^(\\s*password:).*/\\1 <password>/' publish/*.yaml",
      "perl -pi -e 's/token: \\S+/token: REDACTED/' secrets.yaml",
      "grep -RE 'password: [^<!]' publish/",
      'FAILED = re.compile(r"password=(\\S+) from")',
      "",
    ].join("\n");
    expect(scanText(script, { quotedOnly: false })).toEqual([]);
  });

  it("searches third-party code only for what cannot be code", () => {
    const llat =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3OTRhM2JkNjJiNTQ0NDM2YjA5NjhmMmIyZGFjNDQxYiIsImlhdCI6MTc5NTQ1NDMxMSwiZXhwIjoyMTEwODE0MzExfQ.UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs";
    const jwtIo =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    const code = [
      'const o={password:"hunter2-default",apiKey:"AIzaSyD-card-default",token:"Unexpected token"};',
      `const sample="${jwtIo}",docs="mqtt://user:secret@broker";`,
      `const mine="${llat}",broker="mqtts://app:Xk9mQ2pL7vR4@mqtt.vendor.example";`,
      "",
    ].join("\n");
    const vendored = scanText(code, { quotedOnly: true, vendored: true }).map((m) => [m.kind, m.line]);
    expect(vendored).toEqual([
      ["access token (JWT)", 3],
      ["URL with password", 3],
    ]);
    // the owner's own code: assignments count too
    expect(scanText(code, { quotedOnly: true }).length).toBeGreaterThan(vendored.length);
  });
});
