import { z } from "zod";
import type { CoreConfigFacts, OnboardingState, PersonEntry } from "../../model/storage-facts.js";
import {
  dataObject,
  entryList,
  type FieldReader,
  optionalString,
  requiredString,
  requiredStringList,
} from "./fields.js";

/** `onboarding/const.py` (2023.x–2026): every step must be done for onboarding to be over. */
export const ONBOARDING_STEPS = ["user", "core_config", "analytics", "integration"] as const;

/** A login of `auth_provider.homeassistant`, hash still inside: only the password audit may see it. */
export interface ProviderLogin {
  username: string;
  /** `base64(bcrypt hash)`, as `auth/providers/homeassistant.py` stores it. */
  passwordBase64: string;
}

/** `.storage/auth_provider.homeassistant`: `{"users": [{"username", "password"}]}` (strict: other fields are noted). */
const providerData = z.strictObject({ users: entryList });
const providerLogin = z.strictObject({ username: requiredString, password: requiredString });

/** `.storage/auth_module.totp` (`{user_id: secret}`) and `.storage/auth_module.notify` (`{user_id: {...}}`). */
const mfaData = z.strictObject({ users: z.record(z.string(), z.unknown(), { error: "is not an object" }) });

/** `.storage/onboarding`: `{"done": [steps]}`. */
const onboardingData = z.strictObject({ done: requiredStringList });

/** `.storage/person` (version 2): `{"items": [{id, name, user_id, ...}]}`; other fields are not ours to judge. */
const personData = z.object({ items: entryList });
const personEntry = z.object({ id: requiredString, name: requiredString, user_id: optionalString });

/** `.storage/core.config`: many settings; only the words a password may be made of are read. */
const coreConfigData = z.object({ location_name: optionalString, time_zone: optionalString, country: optionalString });

export function parseProviderLogins(data: unknown, reader: FieldReader): ProviderLogin[] {
  const object = dataObject(data, reader);
  const lists = object === undefined ? undefined : reader.read(providerData, object, "data");
  if (lists === undefined) return [];
  return reader
    .entries(lists.users, "users", providerLogin)
    .map(({ entry }) => ({ username: entry.username, passwordBase64: entry.password }));
}

/** Only which users are enrolled is kept: never a TOTP secret or a notify target. */
export function parseMfaEnrolment(data: unknown, reader: FieldReader): string[] {
  const object = dataObject(data, reader);
  const enrolment = object === undefined ? undefined : reader.read(mfaData, object, "data");
  return enrolment === undefined ? [] : Object.keys(enrolment.users);
}

export function parseOnboarding(data: unknown, reader: FieldReader): OnboardingState | undefined {
  const object = dataObject(data, reader);
  const onboarding = object === undefined ? undefined : reader.read(onboardingData, object, "data");
  if (onboarding === undefined) return undefined;
  const { done } = onboarding;
  return { done, pending: ONBOARDING_STEPS.filter((step) => !done.includes(step)) };
}

export function parsePersons(data: unknown, reader: FieldReader): PersonEntry[] {
  const object = dataObject(data, reader);
  const lists = object === undefined ? undefined : reader.read(personData, object, "data");
  if (lists === undefined) return [];
  return reader
    .entries(lists.items, "items", personEntry)
    .map(({ entry }) => ({ id: entry.id, name: entry.name, userId: entry.user_id }));
}

export function parseCoreConfig(data: unknown, reader: FieldReader): CoreConfigFacts | undefined {
  const object = dataObject(data, reader);
  const config = object === undefined ? undefined : reader.read(coreConfigData, object, "data");
  if (config === undefined) return undefined;
  const facts: CoreConfigFacts = {};
  if (config.location_name !== null) facts.locationName = config.location_name;
  if (config.time_zone !== null) facts.timeZone = config.time_zone;
  if (config.country !== null) facts.country = config.country;
  return facts;
}
