import type {
  HttpProbeResult,
  OnboardingStep,
  SecurityHeaders,
  ServerVersionSeen,
} from "../../../model/network-probes.js";
import { type HttpResponse, header, httpGet, webSocketHello } from "../http-client.js";
import type { Target } from "../socket-io.js";
import type { ProbeOptions } from "./options.js";

/**
 * The HTTP(S) probe: what any visitor sees without logging in. It recognises Home Assistant by the marks
 * its `http` integration leaves on every response (shared ha-facts §4: empty `Server`, `X-Content-Type-
 * Options`, `Referrer-Policy`, `X-Frame-Options`), by `/manifest.json`, `/api/onboarding`, and by the
 * WebSocket's unauthenticated first frame, which carries the version. It never logs in and never sends a
 * password: every request is an anonymous GET of a view that needs no authentication.
 *
 * Never a failed login. Home Assistant counts a failed login (and bans after `login_attempts_threshold`)
 * only through `process_wrong_login`, which is reached in three ways (home-assistant/core, commits named):
 * - `http/ban.py@0206414af722e826d86cfebde5a07bbe5e7d311b` lines 116-120: `ban_middleware` catches
 *   `HTTPUnauthorized` from any handler and calls `process_wrong_login` (line 119). `http/view.py@
 *   0347133223f63c453388f58f6e63849196905b6c` lines 119-120 raise `HTTPUnauthorized` for a view with
 *   `requires_auth` (the default, line 37) and no valid authentication. `http/auth.py@
 *   006645202b3cc49c0016943af913147ccd7ab058` lines 205-236: `auth_middleware` only sets
 *   `KEY_AUTHENTICATED` (line 235) from an `Authorization` header (211) or an `authSig` query (221); it records
 *   nothing itself. So a request without credentials counts exactly when it reaches a view that requires
 *   authentication: `GET /api/` (`APIStatusView`) did, and the recorded 2023.11.3 log shows it
 *   (`shared/fixtures/ha/2023.11.3/config-files/home-assistant.log.full-run.txt`: "Login attempt or request
 *   with invalid authentication ... Requested URL: '/api/'"). We no longer send it.
 * - `http/ban.py` lines 123-137: `log_invalid_auth` records a response >= 400 of the views it decorates
 *   (the login flow POSTs and the token endpoint); we send none of those.
 * - `websocket_api/auth.py@00e2848831372808f881beedd11e17fd95849d35` lines 87-131: `AuthPhase.async_handle`
 *   records a failure (lines 106, 130) only for an auth message it received. `websocket_api/http.py@
 *   019d9c64b5afd947e068654e7431b7a574239dd8` lines 199-223: after sending `auth_required` (199) it waits for
 *   one frame (204); a close frame raises `Disconnect` quietly (209-210), anything not text only logs a
 *   warning (212-214), and only a text frame reaches `auth.async_handle` (223). We send a close frame.
 * What each request we send gets (all `requires_auth = False`, none decorated by `log_invalid_auth`):
 * - `GET /`: the frontend's index view, or a 404 from aiohttp's router when the frontend is not loaded
 *   (recorded: pre-onboarding/01-GET-root.http, frontend-loaded/01-GET-root.http, no log line).
 * - `GET /manifest.json`: the frontend's `ManifestJSONView` (`requires_auth = False`), or 404 (recorded:
 *   frontend-loaded/02-GET-manifest.json.http, pre-onboarding/05-GET-manifest.json.http, no log line).
 * - `GET /api/onboarding`: `OnboardingStatusView`, a `NoAuthBaseOnboardingView` (`onboarding/views.py@
 *   003f9aa26b4da65a139744ff88c0ff8b42e50853` lines 106-115, `requires_auth = False` at 109); recorded:
 *   pre-onboarding/03 and onboarding/03, no log line.
 * - `GET /auth/providers`: `AuthProvidersView`, `requires_auth = False`, its `get` not decorated; its 400
 *   before onboarding is a plain response (recorded: pre-onboarding/04-GET-auth-providers.http, no log line).
 * - `GET /api/websocket` upgrade: `WebsocketAPIView`, `requires_auth = False` (`websocket_api/http.py` line
 *   43); recorded: pre-onboarding/08-websocket-hello.json, no log line.
 * The recorded log has exactly one failure line for the eight pre-onboarding requests, the `/api/` one.
 */

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

/** The requests of the probe besides `GET /`, in the order their answers are read. */
const PAGE_PATHS = ["/manifest.json", "/api/onboarding", "/auth/providers"] as const;
const WEBSOCKET_PATH = "/api/websocket";

function serverVersionsOf(answers: { request: string; headers: [string, string][] }[]): ServerVersionSeen[] {
  const seen: ServerVersionSeen[] = [];
  for (const { request, headers } of answers) {
    const value = headers.find(([k]) => k === "server")?.[1];
    if (value === undefined || !VERSIONED_SERVER.test(value)) continue;
    const server = value.slice(0, 120);
    if (!seen.some((s) => s.server === server)) seen.push({ request, server });
  }
  return seen;
}

/**
 * The ban answer: 403 on `/api/onboarding` (a view without authentication that answers 200 to anyone who
 * is not banned) and on the WebSocket upgrade, and on every page asked for.
 */
function isBanAnswer(pages: (HttpResponse | undefined)[], onboarding: HttpResponse | undefined, wsStatus?: number) {
  const answered = pages.filter((r): r is HttpResponse => r !== undefined);
  return (
    onboarding?.status === 403 && wsStatus === 403 && answered.length >= 3 && answered.every((r) => r.status === 403)
  );
}

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
    ...(root.clientAddress === undefined ? {} : { clientAddress: root.clientAddress }),
  };
  const location = header(root, "location");
  if (location !== undefined && root.status >= 300 && root.status < 400) result.redirect = location.slice(0, 200);

  // the rest in parallel: each request is independent and bounded
  const [[manifest, onboarding, providers], ws] = await Promise.all([
    Promise.all(PAGE_PATHS.map((path) => httpGet(target, path, bounds))),
    webSocketHello(target, WEBSOCKET_PATH, bounds),
  ]);
  const pages: [string, HttpResponse | undefined][] = [
    ["/", root],
    ...PAGE_PATHS.map((path, i) => [path, [manifest, onboarding, providers][i]] as [string, HttpResponse | undefined]),
  ];
  result.serverVersions = serverVersionsOf([
    ...pages.flatMap(([path, r]) => (r === undefined ? [] : [{ request: `GET ${path}`, headers: r.headers }])),
    ...(ws === undefined ? [] : [{ request: `GET ${WEBSOCKET_PATH} (WebSocket upgrade)`, headers: ws.headers }]),
  ]);

  if (isBanAnswer([root, manifest, onboarding, providers], onboarding, ws?.status)) {
    result.bannedResponse = { server: (server ?? "").slice(0, 120) };
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
  const manifestJson = parseJson(manifest) as { name?: unknown } | undefined;
  if (manifest?.status === 200 && manifestJson?.name === "Home Assistant")
    evidence.push("/manifest.json names Home Assistant");
  const version = haVersionOf(ws?.firstText);
  if (version !== undefined) evidence.push("WebSocket sends auth_required with ha_version");
  const steps = onboardingSteps(onboarding);
  if (steps?.some((s) => s.step === "user")) evidence.push("/api/onboarding lists Home Assistant's steps");
  if (isOnboardingRequired(providers)) evidence.push("/auth/providers answers onboarding_required");

  // one weak sign is common elsewhere; two are Home Assistant (the version frame alone is specific enough)
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

/** Home Assistant's answer to `/auth/providers` before onboarding (recorded: pre-onboarding/04). */
function isOnboardingRequired(response: HttpResponse | undefined): boolean {
  if (response?.status !== 400) return false;
  return (parseJson(response) as { code?: unknown } | undefined)?.code === "onboarding_required";
}
