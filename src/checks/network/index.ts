import type { Check } from "../../model/check.js";
import { haNoFrameOptions } from "./ha-no-frame-options.js";
import { haOnboardingOpen } from "./ha-onboarding-open.js";
import { haPlainHttp } from "./ha-plain-http.js";
import { haReachable } from "./ha-reachable.js";
import { haScannerBanned } from "./ha-scanner-banned.js";
import { haTrustedNetworksOffered } from "./ha-trusted-networks.js";
import { haVulnerableVersion } from "./ha-vulnerable-version.js";
import { httpNoHsts } from "./http-no-hsts.js";
import { httpServerVersion } from "./http-server-version.js";
import { mqttAnonymous } from "./mqtt-anonymous.js";
import { mqttTopicsLeak } from "./mqtt-topics-leak.js";
import { smbGuestShares } from "./smb-guest-shares.js";
import { smbShareListOpen } from "./smb-share-list-open.js";
import { smbSigningNotRequired } from "./smb-signing-not-required.js";
import { smb1Enabled } from "./smb1-enabled.js";
import { sshNoAuthentication } from "./ssh-no-authentication.js";
import { sshPasswordAuth } from "./ssh-password-auth.js";
import { sshWeakAlgorithms } from "./ssh-weak-algorithms.js";
import { tlsCertExpired } from "./tls-cert-expired.js";
import { tlsNameMismatch } from "./tls-name-mismatch.js";
import { tlsOldProtocol } from "./tls-old-protocol.js";
import { tlsSelfSigned } from "./tls-self-signed.js";
import { tlsWeakKey } from "./tls-weak-key.js";
import { tlsWeakSignature } from "./tls-weak-signature.js";
import { upnpPortForward } from "./upnp-port-forward.js";
/** The network checks, in catalogue order. Add each new check module here. */
export const networkChecks: Check[] = [
  // Home Assistant over HTTP(S)
  haOnboardingOpen,
  haVulnerableVersion,
  haTrustedNetworksOffered,
  haPlainHttp,
  haNoFrameOptions,
  haScannerBanned,
  haReachable,
  httpNoHsts,
  httpServerVersion,
  // TLS
  tlsOldProtocol,
  tlsCertExpired,
  tlsSelfSigned,
  tlsNameMismatch,
  tlsWeakKey,
  tlsWeakSignature,
  // SSH, MQTT, SMB and UPnP (protocol probes)
  sshNoAuthentication,
  sshPasswordAuth,
  sshWeakAlgorithms,
  mqttAnonymous,
  mqttTopicsLeak,
  smbGuestShares,
  smbShareListOpen,
  smb1Enabled,
  smbSigningNotRequired,
  upnpPortForward,
];
