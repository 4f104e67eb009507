import type { Check } from "../../model/check.js";
import { adminNotLocalOnly } from "./admin-not-local-only.js";
import { adminsList } from "./admins.js";
import { inactiveUserTokens } from "./inactive-user-tokens.js";
import { longLivedTokens } from "./long-lived-tokens.js";
import { mfaNotSetUp } from "./mfa-not-set-up.js";
import { neverExpiringTokens } from "./never-expiring-tokens.js";
import { onboardingNotFinished } from "./onboarding-not-finished.js";
import { privateStoreModes } from "./private-file-modes.js";
import { tokenPublicAddress } from "./token-public-address.js";
import { trustedUsersUnknown } from "./trusted-users-unknown.js";
import { unusedAdmins } from "./unused-admins.js";
import { unusedTokens } from "./unused-tokens.js";
import { usersNoMfa } from "./users-no-mfa.js";
import { weakPasswords } from "./weak-passwords.js";

/** The storage checks, in catalogue order. Add each new check module here. */
export const storageChecks: Check[] = [
  onboardingNotFinished,
  weakPasswords,
  usersNoMfa,
  mfaNotSetUp,
  adminsList,
  unusedAdmins,
  adminNotLocalOnly,
  inactiveUserTokens,
  longLivedTokens,
  unusedTokens,
  tokenPublicAddress,
  neverExpiringTokens,
  privateStoreModes,
  trustedUsersUnknown,
];
