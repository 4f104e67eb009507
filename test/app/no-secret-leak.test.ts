import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runAudit } from "../../src/app/audit.js";
import { FORMATS, render } from "../../src/report/index.js";
import { PROJECT_ROOT } from "../helpers/cli.js";

const SECRET_KEY = /(pass(word)?|passwd|token|secret|api_?key|key|credential|psk|webhook_id|jwt)/i;
/** Alarm and lock codes, PINs: named exactly so (`code_format`, `country_code` are no secrets). */
const PIN_KEY = /^(code|pin|pin_code|alarm_code)$/i;
/** Secret fields of `.storage`/`.cloud` JSON (integration credentials, pairing keys, sessions), and what a
 * `credentials` object holds; the store envelope's own `key` is its name, not a secret. */
const STORED_SECRET_KEY =
  /^(token|jwt_key|password|access_token|refresh_token|id_token|secret|client_secret|api_key|noise_psk|key|private_key|iOSDeviceLTSK|s\d_\w+_key|code|pin|credentials)$/;
/** Passwords on command lines: `curl -u user:PASS`, `sshpass -p PASS`, `mysql -pPASS`, `--password=PASS`, `Bearer TOKEN`. */
const COMMAND_SECRETS = [
  /curl[^\n]*?-u\s*["']?[^\s"':]+:([^\s"']+)/g,
  /sshpass\s+-p\s*["']?([^\s"']+)/g,
  /mysql\w*[^\n]*?\s-p([^\s"']+)/g,
  /--password[=\s]["']?([^\s"']+)/g,
  /Bearer\s+([^\s"']+)/g,
];
const FIXTURE_OWNER_PASSWORD = "RigPassw0rd!2026"; // documented in shared/fixtures/ha/2023.11.3/README.md
const EXAMPLE_OWNER_PASSWORD = "testowner1"; // examples/insecure-home/README.md: weak on purpose

/**
 * Every secret-looking value planted in a directory, found independently of the checks (which would make
 * the test circular): assignments to secret-named keys in any text file, JWTs, PEM bodies, and the secret
 * fields of `.storage` JSON.
 */
function plantedSecrets(root: string): Set<string> {
  const values = new Set<string>();
  const add = (value: unknown) => {
    const text = String(value ?? "").trim();
    if (text.length >= 6 && !text.startsWith("!secret") && !/^(true|false|null|none)$/i.test(text)) values.add(text);
  };
  const walkJson = (node: unknown, key = "", top = true) => {
    if (Array.isArray(node)) for (const item of node) walkJson(item, key, false);
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (top && k === "key") continue; // the envelope's store name
        // `credentials: {"1": "…"}`: every value under a secret-named object is secret
        walkJson(v, /^\d+$/.test(k) && STORED_SECRET_KEY.test(key) ? key : k, false);
      }
    } else if ((typeof node === "string" || typeof node === "number") && STORED_SECRET_KEY.test(key)) add(node);
  };
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
  for (const file of files(root)) {
    const text = readFileSync(file, "latin1");
    for (const m of text.matchAll(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g)) add(m[0]);
    for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]{20,}?)-----END/g)) {
      for (const line of (m[1] ?? "").split(/\s+/)) add(line);
    }
    const isStorage = file.includes(`${path.sep}.storage${path.sep}`) || file.includes(`${path.sep}.cloud${path.sep}`);
    // (.storage JSON is walked by field name below: its `"key": "auth"` envelope is no secret)
    for (const m of isStorage ? [] : text.matchAll(/^[ \t-]*["']?([\w.-]+)["']?[ \t]*[:=][ \t]*["']?([^"'\s#]+)/gm)) {
      if (SECRET_KEY.test(m[1] ?? "") || PIN_KEY.test(m[1] ?? "")) add(m[2]);
    }
    for (const pattern of isStorage ? [] : COMMAND_SECRETS) for (const m of text.matchAll(pattern)) add(m[1]);
    if (isStorage) {
      try {
        const json = JSON.parse(text);
        walkJson(json);
        if (path.basename(file) === "auth_module.totp") walkJson(json?.data?.users, "token");
      } catch {
        // not JSON: the text patterns above still apply
      }
    }
  }
  return values;
}

describe("no secret value reaches any report", () => {
  it("the insecure example: every format shows only masked values", async () => {
    const root = path.join(PROJECT_ROOT, "examples/insecure-home");
    const secrets = plantedSecrets(root);
    secrets.add(FIXTURE_OWNER_PASSWORD);
    secrets.add(EXAMPLE_OWNER_PASSWORD);
    expect(secrets.size).toBeGreaterThan(15); // the example really is full of secrets
    // the kinds added for issue 9 are planted too: integration secrets, a pairing key, a PIN, command lines
    for (const planted of [
      "Mosq-Fern-2020",
      "jn8Xq2Lp5Wr9Tz3V",
      "c1a9e7b3d5f24a6c8e0b2d4f6a8c0e2b:9d3f5a7c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7:0a2c4e6b",
      "8c3e5a7f9b1d2c4e6a8f0b2d4c6e8a0f1b3d5c7e9a1f3b5d7c9e1a3f5b7d9c1e",
      "80417726",
      "Curl-Tulip-2022",
      "Nas-Birch-2018",
    ]) {
      expect(secrets.has(planted), planted).toBe(true);
    }

    // the password test runs (its tenth candidate is the owner's password), so its finding is searched too
    const report = await runAudit({
      configDir: root,
      passwordBudgetSeconds: 600,
      passwordCandidates: 20,
      suppressions: [],
      version: "test",
    });
    expect(report.findings.some((f) => f.id === "users/weak-password" && f.severity === "critical")).toBe(true);
    expect(report.findings.filter((f) => f.evidence !== undefined).length).toBeGreaterThan(10);
    // and the findings about them are in the report (masked), so the search below looks where they would leak
    for (const id of ["secrets/config-entry-credentials", "secrets/stored-credentials"]) {
      expect(
        report.findings.some((f) => f.id === id),
        id,
      ).toBe(true);
    }
    for (const format of FORMATS) {
      const output = render(format, report, { color: false });
      const leaked = [...secrets].filter((secret) => output.includes(secret));
      expect(leaked, `${format} output leaks`).toEqual([]);
    }
  });
});

describe("no secret value reaches any report through a path", () => {
  it("a secret used as a folder or file name is masked in every location, message and error of every format", async () => {
    // the values of the example's secrets.yaml, also written into names: a token as a hidden folder in www/
    // (a common way to "protect" files), a password in a file name, both in an include that is missing
    const token = "0c6bd5a3f6e1b0f4d9a2c8e7b1f3a5d7";
    const password = "Jansen2019!";
    const root = mkdtempSync(path.join(tmpdir(), "hassguard-secret-path-"));
    try {
      cpSync(path.join(PROJECT_ROOT, "examples/insecure-home"), root, { recursive: true });
      mkdirSync(path.join(root, "www", token), { recursive: true });
      writeFileSync(path.join(root, "www", token, "door.yaml"), "code: 1234\n");
      writeFileSync(path.join(root, `notes-${password}.yaml`), "broken: [\n");
      appendFileSync(
        path.join(root, "configuration.yaml"),
        `\nextra_a: !include notes-${password}.yaml\nextra_b: !include ${token}.yaml\n`,
      );
      expect(readFileSync(path.join(root, "secrets.yaml"), "utf8")).toContain(token);

      const report = await runAudit({ configDir: root, passwordBudgetSeconds: 0, suppressions: [], version: "test" });
      // the planted names really are reported: in a finding's location and in errors
      expect(
        report.findings.some((f) => JSON.stringify(f.location ?? {}).includes(`www/${token.slice(0, 2)}***`)),
      ).toBe(true);
      expect(report.errors.filter((e) => e.file?.includes("notes-")).length).toBeGreaterThan(0);
      for (const format of FORMATS) {
        const output = render(format, report, { color: false });
        expect(output.includes(token), `${format} prints the token`).toBe(false);
        expect(output.includes(password), `${format} prints the password`).toBe(false);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
