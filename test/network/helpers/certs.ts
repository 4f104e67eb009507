import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A key and certificate made by openssl for one test server. */
export interface CertPair {
  cert: string;
  key: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe", timeout: 30_000 });
}

/** Self-signed (files `dir/file.key`, `dir/file.crt`), valid now for 30 days: `-x509` with the names given as CN and subjectAltName. */
export function selfSigned(
  dir: string,
  file: string,
  name: string,
  options: { bits?: number; digest?: string; san?: string } = {},
): CertPair {
  const key = path.join(dir, `${file}.key`);
  const cert = path.join(dir, `${file}.crt`);
  openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    `rsa:${options.bits ?? 2048}`,
    `-${options.digest ?? "sha256"}`,
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "30",
    "-subj",
    `/CN=${name}`,
    "-addext",
    `subjectAltName=${options.san ?? `DNS:${name}`}`,
  ]);
  return { cert, key };
}

/**
 * Self-signed with validity dates in the past. `openssl req -x509` only takes positive `-days`, so this goes
 * through `openssl ca -selfsign`, which accepts explicit start and end dates.
 */
export function expiredSelfSigned(dir: string, file: string, name: string): CertPair {
  const caDir = path.join(dir, `${file}-ca`);
  mkdirSync(caDir, { recursive: true });
  writeFileSync(path.join(caDir, "index.txt"), "");
  writeFileSync(path.join(caDir, "serial"), "01\n");
  const config = path.join(caDir, "ca.cnf");
  writeFileSync(
    config,
    [
      "[ ca ]",
      "default_ca = old",
      "[ old ]",
      `database = ${caDir}/index.txt`,
      `new_certs_dir = ${caDir}`,
      `serial = ${caDir}/serial`,
      "default_md = sha256",
      "policy = any",
      "unique_subject = no",
      "copy_extensions = copy",
      "[ any ]",
      "commonName = supplied",
      "[ req ]",
      "distinguished_name = dn",
      "[ dn ]",
      "",
    ].join("\n"),
  );
  const key = path.join(dir, `${file}.key`);
  const csr = path.join(caDir, `${file}.csr`);
  const cert = path.join(dir, `${file}.crt`);
  openssl(dir, [
    "req",
    "-new",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    csr,
    "-subj",
    `/CN=${name}`,
    "-addext",
    `subjectAltName=DNS:${name},IP:127.0.0.1`,
  ]);
  openssl(dir, [
    "ca",
    "-batch",
    "-config",
    config,
    "-selfsign",
    "-keyfile",
    key,
    "-in",
    csr,
    "-out",
    cert,
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200201000000Z",
  ]);
  return { cert, key };
}
