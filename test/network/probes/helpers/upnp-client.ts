/**
 * Runs INSIDE the client namespace of the UPnP test (`ip netns exec NS node --import tsx upnp-client.ts`),
 * so the SSDP multicast never leaves the namespaces the test made. Adds the port mappings given as JSON in
 * argv[2] the way a program asking for a forward would (AddPortMapping), then prints what
 * discoverUpnpMappings sees for argv[3].
 */
import { discoverUpnpMappings } from "../../../../src/sources/network/probes/upnp.js";
import { miniHttp, xmlText } from "../../../../src/sources/network/probes/upnp-http.js";

interface WantedMapping {
  externalPort: number;
  internalPort: number;
  internalClient: string;
  description: string;
}

const opts = { timeoutMs: 4000, maxBytes: 256 * 1024 };

async function addMapping(gatewayDescription: string, mapping: WantedMapping): Promise<void> {
  const location = new URL(gatewayDescription);
  const description = await miniHttp(location, "GET", {}, "", opts);
  const block = description.body.match(/<service>[\s\S]*?<\/service>/g)?.find((b) => b.includes(":WANIPConnection:"));
  const control = block ? xmlText(block, "controlURL") : undefined;
  const SERVICE = block ? xmlText(block, "serviceType") : undefined;
  if (!control || !SERVICE) throw new Error("no WANIPConnection control URL");
  const args =
    `<NewRemoteHost></NewRemoteHost><NewExternalPort>${mapping.externalPort}</NewExternalPort>` +
    `<NewProtocol>TCP</NewProtocol><NewInternalPort>${mapping.internalPort}</NewInternalPort>` +
    `<NewInternalClient>${mapping.internalClient}</NewInternalClient><NewEnabled>1</NewEnabled>` +
    `<NewPortMappingDescription>${mapping.description}</NewPortMappingDescription><NewLeaseDuration>0</NewLeaseDuration>`;
  const body =
    '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
    `s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:AddPortMapping xmlns:u="${SERVICE}">` +
    `${args}</u:AddPortMapping></s:Body></s:Envelope>`;
  const response = await miniHttp(
    new URL(control, location),
    "POST",
    { "Content-Type": 'text/xml; charset="utf-8"', SOAPAction: `"${SERVICE}#AddPortMapping"` },
    body,
    opts,
  );
  if (response.status !== 200)
    throw new Error(`AddPortMapping failed: HTTP ${response.status} ${response.body.slice(0, 300)}`);
}

const wanted = JSON.parse(process.argv[2] ?? "[]") as WantedMapping[];
const target = process.argv[3] ?? "";
const gateway = process.argv[4] ?? "";
for (const mapping of wanted) await addMapping(gateway, mapping);
process.stdout.write(JSON.stringify(await discoverUpnpMappings(target, opts)));
