import type { ContentType } from "../../model/config-facts.js";

/**
 * Tells what a file is from its first bytes (magic numbers, as file(1) and the `file-type` package do), so the
 * audit can skip what cannot hold a configuration secret without trusting a file name: a photo renamed `.txt` is
 * still skipped, and a secrets file renamed `.jpg` is still read. Only the handful of formats a Home Assistant
 * configuration folder really holds are listed; anything else with a NUL byte early on is plain "binary".
 * (`file-type` itself needs Node 22 and an asynchronous API; the inventory runs on Node 20, file by file.)
 */
export function sniffContentType(probe: Buffer): ContentType {
  // plain text is by far the most common and starts with none of the signatures' first bytes
  const first = probe[0];
  if (first === undefined) return "text";
  if (SIGNATURE_STARTS.has(first)) {
    for (const [type, matches] of SIGNATURES) if (matches(probe)) return type;
  }
  if (isTarHeader(probe)) return "tar";
  return probe.includes(0) ? "binary" : "text";
}

/** Content that cannot hold a credential worth reporting, or that the audit cannot read as text anyway. */
export function isMedia(type: ContentType): boolean {
  return type === "image" || type === "audio" || type === "video" || type === "font" || type === "pdf";
}

export function isArchiveType(type: ContentType): boolean {
  return (
    type === "gzip" ||
    type === "zip" ||
    type === "tar" ||
    type === "7z" ||
    type === "rar" ||
    type === "xz" ||
    type === "bzip2" ||
    type === "zstd"
  );
}

const at = (offset: number, bytes: readonly number[]) => (b: Buffer) =>
  b.length >= offset + bytes.length && bytes.every((byte, i) => b[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const startsWith = (text: string) => at(0, ascii(text));

/** ISO base media (MP4, MOV, M4A, HEIC, AVIF): `ftyp` at offset 4, then a brand that says which. */
function isoMedia(b: Buffer): ContentType | undefined {
  if (!at(4, ascii("ftyp"))(b)) return undefined;
  const brand = b.toString("latin1", 8, 12);
  if (/^(heic|heix|hevc|heif|mif1|msf1|avif|avis)$/.test(brand)) return "image";
  if (/^(M4A |M4B |M4P |F4A )$/.test(brand)) return "audio";
  return "video";
}

/** MPEG audio without an ID3 tag starts with an 11-bit frame sync. A NUL soon after rules out text. */
function mpegFrame(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0xff && ((b[1] as number) & 0xe0) === 0xe0 && ((b[1] as number) & 0x06) !== 0;
}

const both =
  (...tests: ((b: Buffer) => boolean)[]) =>
  (b: Buffer) =>
    tests.every((test) => test(b));
const either =
  (...tests: ((b: Buffer) => boolean)[]) =>
  (b: Buffer) =>
    tests.some((test) => test(b));
const binary = (b: Buffer) => b.includes(0);

/** Signatures in the order they are tried; the weak ones (few bytes) also require binary content. */
const SIGNATURES: [ContentType, (b: Buffer) => boolean][] = [
  ["sqlite", startsWith("SQLite format 3\0")],
  ["image", at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ["image", at(0, [0xff, 0xd8, 0xff])],
  ["image", either(startsWith("GIF87a"), startsWith("GIF89a"))],
  ["image", both(startsWith("RIFF"), at(8, ascii("WEBP")))],
  ["image", either(at(0, [0x49, 0x49, 0x2a, 0x00]), at(0, [0x4d, 0x4d, 0x00, 0x2a]))],
  ["image", both(at(0, [0x00, 0x00, 0x01, 0x00]), (b) => b.length > 6 && b[4] !== 0)],
  ["image", both(startsWith("BM"), binary)],
  ["audio", both(startsWith("RIFF"), at(8, ascii("WAVE")))],
  ["video", both(startsWith("RIFF"), at(8, ascii("AVI ")))],
  ["audio", either(startsWith("ID3"), startsWith("OggS"), startsWith("fLaC"))],
  ["audio", both(mpegFrame, binary)],
  ["video", at(0, [0x1a, 0x45, 0xdf, 0xa3])],
  ["image", (b) => isoMedia(b) === "image"],
  ["audio", (b) => isoMedia(b) === "audio"],
  ["video", (b) => isoMedia(b) === "video"],
  ["font", either(startsWith("wOFF"), startsWith("wOF2"), startsWith("OTTO"), startsWith("ttcf"))],
  ["font", both(at(0, [0x00, 0x01, 0x00, 0x00]), (b) => b.length > 12)],
  ["pdf", startsWith("%PDF-")],
  ["gzip", at(0, [0x1f, 0x8b])],
  ["zip", either(at(0, [0x50, 0x4b, 0x03, 0x04]), at(0, [0x50, 0x4b, 0x05, 0x06]))],
  ["7z", at(0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ["rar", startsWith("Rar!\x1a\x07")],
  ["xz", at(0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ["bzip2", both(startsWith("BZh"), (b) => b.length > 4 && (b[3] ?? 0) >= 0x31 && (b[3] ?? 0) <= 0x39)],
  ["zstd", at(0, [0x28, 0xb5, 0x2f, 0xfd])],
  ["executable", at(0, [0x7f, 0x45, 0x4c, 0x46])],
];

/**
 * The first bytes any signature can start with; ISO media start with a box size (any byte), so every byte that
 * is not printable text counts too.
 */
const SIGNATURE_STARTS = new Set<number>([
  ...[..."SGRIMBOfwt%P7("].map((c) => c.charCodeAt(0)),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x80 }, (_, i) => 0x80 + i),
]);

/** A POSIX (ustar) or GNU tar header: its magic at offset 257. */
export function isTarHeader(b: Buffer, offset = 0): boolean {
  return b.length >= offset + 263 && b.toString("latin1", offset + 257, offset + 262) === "ustar";
}
