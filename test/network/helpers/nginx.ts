import { mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { spawnService } from "../../helpers/service-process.js";
import type { CertPair } from "./certs.js";

/** One TLS server block: its certificate, accepted protocols, and what it serves. */
export interface TlsSite {
  name: string;
  cert: CertPair;
  protocols?: string;
  /** Proxy to this local port (with WebSocket upgrade), instead of a fixed 200 answer. */
  proxyTo?: number;
  extraHeaders?: string[];
}

export interface Nginx {
  ports: Record<string, number>;
  stop: () => Promise<void>;
}

/** Ports the kernel hands out now; nginx binds them a moment later (a race no other test here joins). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve) => {
          const server = net.createServer();
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function serverBlock(site: TlsSite, port: number): string {
  const body =
    site.proxyTo === undefined
      ? `location / { return 200 "${site.name}\\n"; }`
      : `location / { proxy_pass http://127.0.0.1:${site.proxyTo}; proxy_http_version 1.1;
         proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }`;
  return `server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${site.cert.cert};
    ssl_certificate_key ${site.cert.key};
    ssl_protocols ${site.protocols ?? "TLSv1.2 TLSv1.3"};
    # security level 0 so that OpenSSL 3 lets nginx serve the deliberately weak test setups
    ssl_ciphers DEFAULT:@SECLEVEL=0;
    ${(site.extraHeaders ?? []).map((h) => `add_header ${h} always;`).join("\n    ")}
    ${body}
  }`;
}

async function waitForPort(port: number, deadline: number, exited: () => boolean): Promise<void> {
  while (Date.now() < deadline) {
    if (exited()) throw new Error("nginx exited at start");
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port} in time`);
}

/** Starts a private nginx (own prefix, config, pid and logs in `dir`) in the foreground. */
export async function startNginx(dir: string, sites: TlsSite[]): Promise<Nginx> {
  mkdirSync(path.join(dir, "logs"), { recursive: true });
  const ports = await freePorts(sites.length);
  const config = path.join(dir, "nginx.conf");
  writeFileSync(
    config,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  ${sites.map((site, i) => serverBlock(site, ports[i] ?? 0)).join("\n  ")}
}
`,
  );
  // in a session of its own, so nothing it signals reaches the test worker (see spawnService)
  const service = spawnService("nginx", ["-p", dir, "-c", config]);
  // generous: a loaded machine starts nginx slowly; readiness is each port accepting, not a fixed wait
  const deadline = Date.now() + 45_000;
  try {
    for (const port of ports) await waitForPort(port, deadline, service.exited);
  } catch (error) {
    await service.stop({ signal: "SIGKILL" });
    throw new Error(`${(error as Error).message}: ${service.output()}`);
  }
  return {
    ports: Object.fromEntries(sites.map((s, i) => [s.name, ports[i] ?? 0])),
    // SIGQUIT: nginx's graceful stop, to the master and its workers alike
    stop: () => service.stop({ signal: "SIGQUIT", graceMs: 3000 }),
  };
}
