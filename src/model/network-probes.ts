/**
 * What each network probe saw, as facts: the model owns these types; the probes in
 * src/sources/network/probes fill them and the checks read them.
 */

/** The TLS protocol versions the TLS probe tries, oldest first. */
export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

// ---- HTTP(S): what any visitor sees without logging in (src/sources/network/probes/http.ts).

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

/** A `Server` header that names software versions, with the ordinary request whose answer carried it. */
export interface ServerVersionSeen {
  /** The request as a browser sends it: `GET /`, `GET /api/websocket (WebSocket upgrade)`. */
  request: string;
  server: string;
}

export interface HttpProbeResult {
  tls: boolean;
  /** Status of `GET /`. */
  status: number;
  /** The `Server` header as sent: `""` is Home Assistant's own (it empties aiohttp's); absent is undefined. */
  server?: string;
  /**
   * `Server` headers that name software versions, each with the request that revealed it. Only answers to
   * the well-formed requests below (what any browser sends) are read; the scanner reads no answer to a
   * request of another protocol or to a malformed one.
   */
  serverVersions: ServerVersionSeen[];
  /** Our own address on these connections: the address the server saw, and would ban. */
  clientAddress?: string;
  securityHeaders: SecurityHeaders;
  /** `Location` of a redirect from `/`. */
  redirect?: string;
  homeAssistant?: HomeAssistantSignals;
  /**
   * Every request got 403, the WebSocket upgrade included: how Home Assistant's `ban_middleware` answers an
   * address in `ip_bans.yaml` (`http/ban.py@0206414af722e826d86cfebde5a07bbe5e7d311b` lines 111-114, before
   * any view runs; recorded: failed-logins/banned-*.http). `GET /api/onboarding` and the WebSocket never
   * answer 403 otherwise (both need no authentication). The scanning machine is banned, so the Home Assistant
   * checks (onboarding, version, login providers) could not see the instance.
   */
  bannedResponse?: { server: string };
}

// ---- A server certificate, described once so no check does crypto itself (probes/cert-info.ts).

/** What the TLS checks need to know about a server's certificate; no check does crypto itself. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** ISO-8601. */
  validFrom: string;
  validTo: string;
  /** Issuer equals subject and the certificate's own key verifies its signature. */
  selfSigned: boolean;
  subjectAltName?: string;
  keyType?: string;
  /** RSA/DSA modulus bits. */
  keyBits?: number;
  /** EC curve name. */
  curve?: string;
  /** Signature algorithm name (`sha256WithRSAEncryption`) or the OID when unknown. */
  signatureAlgorithm?: string;
  fingerprint256: string;
  /** The name or address the certificate was checked against, and whether it matched. */
  checkedName?: string;
  nameMatches?: boolean;
}

// ---- TLS: protocol versions and certificate (probes/tls.ts).

export interface TlsProbeResult {
  /** What the first, unrestricted handshake negotiated. */
  negotiated: string;
  cipher: string;
  /** Versions the server completed a handshake with when offered only that version. */
  accepted: TlsVersion[];
  certificate?: CertificateInfo;
  /** Why a client with the system's CA list would not trust the certificate (OpenSSL's code), if it would not. */
  trustError?: string;
}

// ---- SSH: what the server told before any login (probes/ssh.ts).

/** What an SSH server told us before any login: banner, offered algorithms and auth methods. */
export interface SshProbeResult {
  /** The identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`. */
  banner: string;
  /** Software part of the banner (`OpenSSH_9.2p1`). */
  software: string;
  kexAlgorithms: string[];
  hostKeyAlgorithms: string[];
  /** Client-to-server and server-to-client lists merged (servers almost always offer the same). */
  ciphers: string[];
  macs: string[];
  /** Methods offered after a `none` auth request; undefined when key exchange or auth query failed. */
  authMethods?: string[];
  /** The server accepted the `none` method: a shell with no authentication at all. */
  noAuthentication?: boolean;
  /** Why auth methods are unknown, when they are. */
  authError?: string;
  /** The auth methods were not asked (the default): asking is a login attempt that sshd logs. */
  authMethodsNotAsked?: true;
}

// ---- MQTT: the broker, recognised without logging in unless asked (probes/mqtt.ts).

export type MqttTransport = "mqtt" | "mqtts" | "ws" | "wss";

export interface MqttTopicSample {
  topic: string;
  /** Masked payload preview, never the raw value. */
  payload: string;
}

export interface MqttProbeResult {
  transport: MqttTransport;
  /** CONNACK return code to an anonymous CONNECT (0 accepted, 4 bad credentials, 5 not authorised). */
  connackCode: number;
  anonymousAccepted: boolean;
  /**
   * The anonymous CONNECT was not sent (the default): a broker that refuses it logs the refusal as it logs a
   * wrong password. The broker was recognised by its answer to an unsupported protocol level instead.
   */
  anonymousNotAsked?: true;
  /** The rest is filled only when anonymous access was accepted. */
  subscribed?: string[];
  /** Distinct topics that published while we listened (retained ones arrive at once). */
  topicCount?: number;
  /** Of those, topics under `homeassistant/` (MQTT discovery: the home's device inventory). */
  homeAssistantTopicCount?: number;
  samples?: MqttTopicSample[];
  /** `$SYS/broker/version`, when the broker published it (a version is not a secret). */
  brokerVersion?: string;
  /** Listening stopped early because the broker sent more than the byte cap. */
  truncated?: boolean;
}

// ---- SMB: dialects, signing and what opens without a password (probes/smb.ts).

export interface SmbShareAccess {
  name: string;
  /** `disk`, `ipc`, `printer`; undefined for a well-known name tried without a share list. */
  type?: "disk" | "ipc" | "printer" | "other";
  /** The share was in the server's own list (srvsvc); false when only its well-known name was tried. */
  listed: boolean;
  /** Tree connect without a password succeeded. */
  accessible: boolean;
  /** Listing the share's root without a password succeeded. */
  readable?: boolean;
  /** A few names from the root listing (names only, never contents) as evidence. */
  sampleEntries?: string[];
}

export interface SmbProbeResult {
  /** The server still accepts the SMB1 dialect `NT LM 0.12`. */
  smb1: boolean;
  /** SMB2/3 dialect the server chose among 2.0.2–3.1.1; undefined when only SMB1 answered. */
  dialect?: string;
  signingRequired: boolean;
  /** A null (anonymous) NTLMSSP session was accepted. */
  anonymousSession: boolean;
  /** A logon as a user that does not exist was accepted as guest. */
  guestSession: boolean;
  /** Whether the share list came from srvsvc (true) or only from trying well-known names. */
  sharesEnumerated: boolean;
  shares: SmbShareAccess[];
  /** NetBIOS name from the NTLM challenge. */
  serverName?: string;
  /** Why the probe stopped early, when it did (the fields above hold what was learnt until then). */
  error?: string;
  /**
   * No anonymous or guest session was tried (the default): Samba's auth audit logs the guest logon, a user
   * that does not exist, as a failed authentication. Negotiate (dialect, signing, SMB1) needs no logon.
   */
  sessionsNotAsked?: true;
}

// ---- UPnP: the LAN gateway's port mappings for the scanned host (probes/upnp.ts).

export interface UpnpMapping {
  externalPort: number;
  internalPort: number;
  protocol: "TCP" | "UDP";
  internalClient: string;
  /** The description the requesting program gave (not a secret; truncated). */
  description: string;
  enabled: boolean;
  /** Remote host the mapping is limited to; empty means anyone on the Internet. */
  remoteHost: string;
  leaseSeconds: number;
}

export interface UpnpResult {
  /** The host whose mappings were looked for. */
  targetHost: string;
  /** Description URL of the gateway found over SSDP; undefined when none answered. */
  gateway?: string;
  /** Mappings whose internal client is the scanned host. */
  mappings: UpnpMapping[];
  /** Entries read from the gateway (all clients). */
  entriesRead: number;
  error?: string;
}
