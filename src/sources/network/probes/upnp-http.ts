import { ProbeError, ProbeSocket } from "./io.js";
import type { ProbeOptions } from "./options.js";

export interface MiniHttpResponse {
  status: number;
  body: string;
}

/**
 * One HTTP/1.0 request over a bounded socket, for the small XML documents of UPnP. Plain HTTP only:
 * gateways serve their descriptions and SOAP controls that way.
 */
export async function miniHttp(
  url: URL,
  method: "GET" | "POST",
  headers: Record<string, string>,
  body: string,
  opts: ProbeOptions,
): Promise<MiniHttpResponse> {
  if (url.protocol !== "http:") throw new ProbeError(`unsupported UPnP URL scheme ${url.protocol}`, "protocol");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? 80 : Number(url.port);
  const sock = await ProbeSocket.connect(host, port, opts);
  try {
    const lines = [
      `${method} ${url.pathname}${url.search} HTTP/1.0`,
      `Host: ${url.host}`,
      "Connection: close",
      "User-Agent: hassguard",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
    ];
    sock.write(Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`, "utf8"));
    const raw = (await sock.readToEnd()).toString("utf8");
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
    if (!match?.[1]) throw new ProbeError("not an HTTP response", "protocol");
    const split = raw.indexOf("\r\n\r\n");
    return { status: Number(match[1]), body: split >= 0 ? raw.slice(split + 4) : "" };
  } finally {
    sock.close();
  }
}

/** The text of the first `<tag>` (any namespace prefix) inside `xml`, entities decoded. */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:[\\w-]+:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${tag}>`).exec(xml);
  if (match?.[1] === undefined) return undefined;
  return match[1]
    .trim()
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
