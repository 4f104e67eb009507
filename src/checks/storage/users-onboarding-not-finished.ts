import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { problemKey } from "../../model/problems.js";
import { pick } from "../../model/words.js";

export const onboardingNotFinished = defineCheck({
  id: "users/onboarding-not-finished",
  title: "Onboarding not finished: the first visitor becomes the owner",
  severity: "critical",
  area: "storage",
  checklist: "users",
  needs: ["storage"],
  description:
    "Until the first onboarding step (`user`) is done, Home Assistant's `POST /api/onboarding/users` answers " +
    "without any login: whoever reaches the instance first creates the owner account and gets full control, " +
    "including running code through integrations and add-ons. An instance left half set up and reachable from " +
    "a network (or published through a tunnel or port forward) can be taken over in one request. Once the owner " +
    "exists, the remaining steps (`core_config`, `analytics`, `integration`) need the owner's login; leaving them " +
    "undone is reported for information only.",
  remediation:
    "Open Home Assistant from a trusted device now and finish onboarding (create the owner with a strong " +
    "password), before the instance is reachable from any other network. If it was reachable while unfinished, " +
    "check Settings → People for accounts you did not create.",
  sources: [
    "homeassistant/components/onboarding/views.py (UserOnboardingView: requires_auth = False until the user step is done)",
    "homeassistant/components/onboarding/const.py (steps user, core_config, analytics, integration)",
    "homeassistant/components/onboarding/__init__.py (the user step counts as done once an owner exists)",
    "shared fixtures ha/2023.11.3/onboarding (the recorded unauthenticated owner creation)",
    "shared ha-facts.md §3 (.storage/onboarding)",
  ],
  run(facts) {
    const storage = facts.storage;
    // onboarding/__init__.py: at start, a missing `user` step is marked done if an owner exists (made on the
    // command line or by a restore). Without a readable auth store, a login in the provider stands in for one.
    const haveOwner =
      storage.auth !== undefined
        ? storage.auth.users.some((user) => user.isOwner)
        : (storage.providerUsernames?.length ?? 0) > 0;
    const findings: FindingDraft[] = [];
    const onboarding = storage.onboarding;
    if (onboarding === undefined) {
      if (!haveOwner && storage.files.some((file) => file.name === "auth")) {
        findings.push({
          message:
            "There is no `.storage/onboarding` record and no owner: Home Assistant offers owner creation to the first visitor.",
          location: { file: ".storage/auth" },
          problem: problemKey.onboardingOpen(),
        });
      }
      return findings;
    }
    if (!onboarding.done.includes("user") && !haveOwner) {
      findings.push({
        message:
          "Onboarding has not created the owner yet: anyone who can reach Home Assistant can create the owner account now, without logging in.",
        location: { file: ".storage/onboarding" },
        evidence: `done: [${onboarding.done.join(", ")}]`,
        problem: problemKey.onboardingOpen(),
      });
    } else if (onboarding.pending.length > 0) {
      findings.push({
        severity: "info",
        title: "Onboarding not finished (owner already created)",
        message: pendingStepsSentence(onboarding.pending),
        location: { file: ".storage/onboarding" },
        evidence: `done: [${onboarding.done.join(", ")}]`,
        remediation: "Log in as the owner and finish the onboarding wizard.",
      });
    }
    return findings;
  },
});

/** `The owner exists, but onboarding step analytics is not done; …` (one step, or several). */
export function pendingStepsSentence(pending: readonly string[]): string {
  const n = pending.length;
  return (
    `The owner exists, but onboarding ${pick(n, "step", "steps")} ${pending.join(", ")} ` +
    `${pick(n, "is", "are")} not done; only the owner can finish ${pick(n, "it", "them")}.`
  );
}
