import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A Home Assistant stand-in for the REST calls an unban makes. `GET /api/services` answers the body a real
 * 2023.11.3 instance sent (test/fixtures/ha/2023.11.3/instance/rest/04-GET-api-services.http): no `http`
 * domain, so no `http.unban`. Under `/new` it adds `http.unban` with the field of core PR #161738
 * (`ip_address`; shaped from that pull request, not recorded: no release has it yet). Calling a service that
 * does not exist answers 400, as Home Assistant's APIDomainServicesView does on ServiceNotFound
 * (homeassistant/components/api/__init__.py); paths start with `/old` (2023.11.3) or `/new`.
 */
const RECORDED_SERVICES = (() => {
  const raw = readFileSync(new URL("../fixtures/ha/2023.11.3/instance/rest/04-GET-api-services.http", import.meta.url));
  return raw.subarray(raw.indexOf("\r\n\r\n") + 4).toString("utf8");
})();
const NEWER_SERVICES = JSON.stringify([
  ...(JSON.parse(RECORDED_SERVICES) as unknown[]),
  { domain: "http", services: { unban: { name: "Unban", fields: { ip_address: {} } } } },
]);

export interface ServiceCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface HomeAssistantStandIn {
  /** Base URL of the 2023.11.3 instance (no http.unban). */
  old: string;
  /** Base URL of an instance with http.unban. */
  new: string;
  calls: ServiceCall[];
  close(): Promise<void>;
}

export async function startHomeAssistantStandIn(): Promise<HomeAssistantStandIn> {
  const calls: ServiceCall[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const [, instance = "", path = ""] = /^\/(old|new)(\/.*)$/.exec(request.url ?? "") ?? [];
      calls.push({ method: request.method ?? "", path, authorization: request.headers.authorization, body });
      const services = instance === "new" ? NEWER_SERVICES : RECORDED_SERVICES;
      const known = JSON.parse(services) as { domain: string; services: Record<string, unknown> }[];
      const service = /^\/api\/services\/(\w+)\/(\w+)$/.exec(path);
      if (request.method === "GET" && path === "/api/services") {
        response.writeHead(200, { "Content-Type": "application/json" }).end(services);
      } else if (request.method === "POST" && service) {
        const [, domain = "", name = ""] = service;
        const exists = known.some((entry) => entry.domain === domain && name in entry.services);
        response.writeHead(exists ? 200 : 400, { "Content-Type": "application/json" }).end(exists ? "[]" : "");
      } else response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    old: `${base}/old`,
    new: `${base}/new`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
