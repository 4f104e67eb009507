import type { UpnpMapping, UpnpResult } from "../../../model/network-probes.js";
import { ProbeError } from "./io.js";
import type { ProbeOptions } from "./options.js";
import { miniHttp, xmlText } from "./upnp-http.js";
import { searchGateways } from "./upnp-ssdp.js";

const CONNECTION_SERVICES = /urn:schemas-upnp-org:service:WAN(IP|PPP)Connection:\d/;
/** A home router holds a few dozen mappings; stop well above that. */
const MAX_ENTRIES = 256;

/**
 * Finds the LAN's Internet gateway over SSDP, reads its description and lists its port mappings
 * (GetGenericPortMappingEntry, index by index) that forward to `targetHost`. Sends only to the
 * SSDP multicast group and to the gateway that answered. Run only when the user asks (`--upnp`).
 */
export async function discoverUpnpMappings(targetHost: string, opts: ProbeOptions): Promise<UpnpResult> {
  const deadline = Date.now() + opts.timeoutMs;
  const remaining = (): ProbeOptions => ({ ...opts, timeoutMs: Math.max(1, deadline - Date.now()) });
  const result: UpnpResult = { targetHost, mappings: [], entriesRead: 0 };
  const answers = await searchGateways(Math.min(2000, Math.floor(opts.timeoutMs / 2)));
  const first = answers[0];
  if (!first) return { ...result, error: "no UPnP Internet gateway answered" };
  result.gateway = first.location;
  try {
    const location = new URL(first.location);
    const description = await miniHttp(location, "GET", {}, "", remaining());
    if (description.status !== 200) throw new ProbeError(`gateway description: HTTP ${description.status}`, "protocol");
    const control = findControl(description.body, location);
    if (!control) throw new ProbeError("gateway offers no WANIPConnection service", "protocol");
    if (new URL(control.url).hostname !== location.hostname)
      throw new ProbeError("control URL on another host", "protocol");
    for (let index = 0; index < MAX_ENTRIES && Date.now() < deadline; index++) {
      const entry = await getEntry(new URL(control.url), control.serviceType, index, remaining());
      if (!entry) break;
      result.entriesRead++;
      if (entry.internalClient === targetHost) result.mappings.push(entry);
    }
  } catch (err) {
    if (!(err instanceof ProbeError) && !(err instanceof TypeError)) throw err;
    result.error = err.message;
  }
  return result;
}

function findControl(xml: string, location: URL): { url: string; serviceType: string } | undefined {
  const base = xmlText(xml, "URLBase") ?? location.href;
  for (const block of xml.match(/<service>[\s\S]*?<\/service>/g) ?? []) {
    const serviceType = xmlText(block, "serviceType");
    const controlUrl = xmlText(block, "controlURL");
    if (serviceType && controlUrl && CONNECTION_SERVICES.test(serviceType)) {
      return { url: new URL(controlUrl, base).href, serviceType };
    }
  }
  return undefined;
}

/** One mapping, or undefined when the index is past the end (SOAP fault 713 SpecifiedArrayIndexInvalid). */
async function getEntry(
  url: URL,
  serviceType: string,
  index: number,
  opts: ProbeOptions,
): Promise<UpnpMapping | undefined> {
  const body =
    '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
    's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
    `<u:GetGenericPortMappingEntry xmlns:u="${serviceType}"><NewPortMappingIndex>${index}</NewPortMappingIndex>` +
    "</u:GetGenericPortMappingEntry></s:Body></s:Envelope>";
  const response = await miniHttp(
    url,
    "POST",
    { "Content-Type": 'text/xml; charset="utf-8"', SOAPAction: `"${serviceType}#GetGenericPortMappingEntry"` },
    body,
    opts,
  );
  if (response.status !== 200) return undefined;
  const protocol = xmlText(response.body, "NewProtocol")?.toUpperCase();
  return {
    externalPort: Number(xmlText(response.body, "NewExternalPort") ?? 0),
    internalPort: Number(xmlText(response.body, "NewInternalPort") ?? 0),
    protocol: protocol === "UDP" ? "UDP" : "TCP",
    internalClient: xmlText(response.body, "NewInternalClient") ?? "",
    description: (xmlText(response.body, "NewPortMappingDescription") ?? "").slice(0, 100),
    enabled: xmlText(response.body, "NewEnabled") !== "0",
    remoteHost: xmlText(response.body, "NewRemoteHost") ?? "",
    leaseSeconds: Number(xmlText(response.body, "NewLeaseDuration") ?? 0),
  };
}
