import { type HttpResponse, header, httpGet, webSocketHello } from "../http-client.js";
import type { Target } from "../socket-io.js";
import type { ProbeOptions } from "./options.js";

/**
 * The HTTP(S) probe: what any visitor sees without logging in. It recognises Home Assistant by the marks
 * its `http` integration leaves on every response (shared ha-facts §2: empty `Server`, `X-Content-Type-
 * Options`, `Referrer-Policy`, `X-Frame-Options`), by `/api/` answering 401, by `/manifest.json`, and by the
 * WebSocket's unauthenticated first frame, which carries the version. It never logs in and never sends a
 * password: every request is an anonymous GET.
 */

export interface SecurityHeaders {
  xFrameOptions?: string;
  xContentTypeOptions?: string;
  referrerPolicy?: string;
  strictTransportSecurity?: string;
  contentSecurityPolicy?: string;
}

export interface OnboardingStep {
  step: string;
  done: boolean;
}

export interface HomeAssistantSignals {
  /** Why we think this is Home Assistant (one short reason each). */
  evidence: string[];
  /** `ha_version` of the WebSocket's `auth_required` frame. */
  version?: string;
  /** `GET /api/onboarding` (unauthenticated by design): the steps and whether each is done. */
  onboarding?: OnboardingStep[];
  /** Types offered by `GET /auth/providers` (`homeassistant`, `trusted_networks`, ...), when it answered 200. */
  authProviders?: string[];
  /** Status of `GET /auth/providers` (400 before onboarding). */
  authProvidersStatus?: number;
}

export interface HttpProbeResult {
  tls: boolean;
  /** Status of `GET /`. */
  status: number;
  /** The `Server` header as sent: `""` is Home Assistant's own (it empties aiohttp's); absent is undefined. */
  server?: string;
  /** `Server` headers that name software versions, from any response (the WebSocket upgrade included). */
  serverVersions: string[];
  securityHeaders: SecurityHeaders;
  /** `Location` of a redirect from `/`. */
  redirect?: string;
  homeAssistant?: HomeAssistantSignals;
  /**
   * Every request got 403 without Home Assistant's headers but with aiohttp's `Server` header: how Home
   * Assistant answers an address in `ip_bans.yaml` (recorded: failed-logins/banned-*.http). The scanning
   * machine is banned, so the other checks could not see the instance.
   */
  bannedResponse?: { server: string };
}

interface HttpProbeTarget extends Target {
  tls: boolean;
}

function securityHeadersOf(response: HttpResponse): SecurityHeaders {
  const pick: [keyof SecurityHeaders, string][] = [
    ["xFrameOptions", "x-frame-options"],
    ["xContentTypeOptions", "x-content-type-options"],
    ["referrerPolicy", "referrer-policy"],
    ["strictTransportSecurity", "strict-transport-security"],
    ["contentSecurityPolicy", "content-security-policy"],
  ];
  const result: SecurityHeaders = {};
  for (const [key, name] of pick) {
    const value = header(response, name);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function parseJson(response: HttpResponse | undefined): unknown {
  if (response === undefined || response.truncated) return undefined;
  try {
    return JSON.parse(response.body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function onboardingSteps(response: HttpResponse | undefined): OnboardingStep[] | undefined {
  if (response?.status !== 200) return undefined;
  const json = parseJson(response);
  if (!Array.isArray(json)) return undefined;
  const steps: OnboardingStep[] = [];
  for (const item of json.slice(0, 50)) {
    if (typeof item === "object" && item !== null && typeof item.step === "string" && typeof item.done === "boolean") {
      steps.push({ step: String(item.step).slice(0, 64), done: item.done });
    }
  }
  return steps.length > 0 ? steps : undefined;
}

/** Provider types from `/auth/providers`: a bare list before 2023.12, `{providers: [...]}` after. */
function providerTypes(response: HttpResponse | undefined): string[] | undefined {
  if (response?.status !== 200) return undefined;
  const json = parseJson(response);
  const list: unknown = Array.isArray(json) ? json : (json as { providers?: unknown } | undefined)?.providers;
  if (!Array.isArray(list)) return undefined;
  return list
    .slice(0, 50)
    .map((p: unknown) => (typeof p === "object" && p !== null ? (p as { type?: unknown }).type : undefined))
    .filter((t): t is string => typeof t === "string")
    .map((t) => t.slice(0, 64));
}

function haVersionOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== "object" || json === null) return undefined;
    const { type, ha_version: version } = json as { type?: unknown; ha_version?: unknown };
    if (type === "auth_required" && typeof version === "string" && /^[\w.+-]{1,40}$/.test(version)) return version;
  } catch {
    // not JSON: not Home Assistant's frame
  }
  return undefined;
}

const VERSIONED_SERVER = /\d+\.\d+/;

/** Probes `/`; if that is HTTP, looks for Home Assistant. Undefined when the port does not speak HTTP. */
export async function probeHttp(target: HttpProbeTarget, opts: ProbeOptions): Promise<HttpProbeResult | undefined> {
  const bounds = { timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes };
  const root = await httpGet(target, "/", bounds);
  if (root === undefined) return undefined;
  const server = header(root, "server");
  const result: HttpProbeResult = {
    tls: target.tls,
    status: root.status,
    ...(server === undefined ? {} : { server }),
    serverVersions: [],
    securityHeaders: securityHeadersOf(root),
  };
  const location = header(root, "location");
  if (location !== undefined && root.status >= 300 && root.status < 400) result.redirect = location.slice(0, 200);

  // the rest in parallel: each request is independent and bounded
  const [api, manifest, onboarding, providers, ws] = await Promise.all([
    httpGet(target, "/api/", bounds),
    httpGet(target, "/manifest.json", bounds),
    httpGet(target, "/api/onboarding", bounds),
    httpGet(target, "/auth/providers", bounds),
    webSocketHello(target, "/api/websocket", bounds),
  ]);
  const responses = [root, api, manifest, onboarding, providers].filter((r): r is HttpResponse => r !== undefined);
  for (const headers of [...responses.map((r) => r.headers), ws?.headers ?? []]) {
    const value = headers.find(([k]) => k === "server")?.[1];
    if (value !== undefined && VERSIONED_SERVER.test(value) && !result.serverVersions.includes(value)) {
      result.serverVersions.push(value.slice(0, 120));
    }
  }

  const allForbidden = responses.length >= 3 && responses.every((r) => r.status === 403) && ws?.status !== 101;
  if (
    allForbidden &&
    server !== undefined &&
    /aiohttp/i.test(server) &&
    root.headers.every(([k]) => k !== "referrer-policy")
  ) {
    result.bannedResponse = { server: server.slice(0, 120) };
    return result;
  }

  const evidence: string[] = [];
  if (
    server === "" &&
    result.securityHeaders.referrerPolicy === "no-referrer" &&
    result.securityHeaders.xContentTypeOptions
  ) {
    evidence.push("empty Server header with Home Assistant's security headers");
  }
  if (api?.status === 401) evidence.push("/api/ answers 401");
  const manifestJson = parseJson(manifest) as { name?: unknown } | undefined;
  if (manifest?.status === 200 && manifestJson?.name === "Home Assistant")
    evidence.push("/manifest.json names Home Assistant");
  const version = haVersionOf(ws?.firstText);
  if (version !== undefined) evidence.push("WebSocket sends auth_required with ha_version");
  const steps = onboardingSteps(onboarding);
  if (steps?.some((s) => s.step === "user")) evidence.push("/api/onboarding lists Home Assistant's steps");

  // one weak sign (a 401 on /api/) is common elsewhere; two are Home Assistant
  if (evidence.length >= 2 || version !== undefined) {
    const types = providerTypes(providers);
    result.homeAssistant = {
      evidence,
      ...(version === undefined ? {} : { version }),
      ...(steps === undefined ? {} : { onboarding: steps }),
      ...(types === undefined ? {} : { authProviders: types }),
      ...(providers === undefined ? {} : { authProvidersStatus: providers.status }),
    };
  }
  return result;
}
