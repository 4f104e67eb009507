import { X509Certificate } from "node:crypto";
import net from "node:net";
import type { CertificateInfo } from "../../../model/network-probes.js";

// OIDs of signature algorithms (RFC 3279, RFC 4055, RFC 5758, RFC 8410)
const SIGNATURE_OIDS: Record<string, string> = {
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
  "1.2.840.10040.4.3": "dsaWithSHA1",
  "1.2.840.10045.4.1": "ecdsaWithSHA1",
  "1.2.840.10045.4.3.1": "ecdsaWithSHA224",
  "1.2.840.10045.4.3.2": "ecdsaWithSHA256",
  "1.2.840.10045.4.3.3": "ecdsaWithSHA384",
  "1.2.840.10045.4.3.4": "ecdsaWithSHA512",
  "1.3.101.112": "ed25519",
  "1.3.101.113": "ed448",
};

/** Reads a DER tag+length at `offset`: where the content starts and how long it is. */
function derHeader(der: Buffer, offset: number): { tag: number; start: number; length: number } | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset] ?? 0;
  let length = der[offset + 1] ?? 0;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0);
    start += count;
  }
  if (start + length > der.length) return undefined;
  return { tag, start, length };
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0)
        parts.push(Math.min(2, Math.floor(value / 40)), value - Math.min(2, Math.floor(value / 40)) * 40);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/**
 * The outer `signatureAlgorithm` of a certificate (RFC 5280 §4.1.1.2). Node 20's X509Certificate does not
 * expose it, so we walk the DER: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }.
 */
export function signatureAlgorithmOf(der: Buffer): string | undefined {
  const certificate = derHeader(der, 0);
  if (certificate?.tag !== 0x30) return undefined;
  const tbs = derHeader(der, certificate.start);
  if (tbs?.tag !== 0x30) return undefined;
  const algorithm = derHeader(der, tbs.start + tbs.length);
  if (algorithm?.tag !== 0x30) return undefined;
  const oid = derHeader(der, algorithm.start);
  if (oid?.tag !== 0x06) return undefined;
  const dotted = decodeOid(der.subarray(oid.start, oid.start + oid.length));
  return SIGNATURE_OIDS[dotted] ?? dotted;
}

export function describeCertificate(der: Buffer, checkedName?: string): CertificateInfo {
  const cert = new X509Certificate(der);
  const details = cert.publicKey.asymmetricKeyDetails;
  let selfSigned = false;
  if (cert.issuer === cert.subject) {
    try {
      selfSigned = cert.verify(cert.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  const signatureAlgorithm = signatureAlgorithmOf(der);
  const info: CertificateInfo = {
    subject: cert.subject.replace(/\n/g, ", "),
    issuer: cert.issuer.replace(/\n/g, ", "),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    selfSigned,
    fingerprint256: cert.fingerprint256,
    ...(cert.subjectAltName === undefined ? {} : { subjectAltName: cert.subjectAltName }),
    ...(cert.publicKey.asymmetricKeyType === undefined ? {} : { keyType: cert.publicKey.asymmetricKeyType }),
    ...(details?.modulusLength === undefined ? {} : { keyBits: details.modulusLength }),
    ...(details?.namedCurve === undefined ? {} : { curve: details.namedCurve }),
    ...(signatureAlgorithm === undefined ? {} : { signatureAlgorithm }),
  };
  if (checkedName !== undefined) {
    info.checkedName = checkedName;
    info.nameMatches = net.isIP(checkedName)
      ? cert.checkIP(checkedName) !== undefined
      : cert.checkHost(checkedName) !== undefined;
  }
  return info;
}
