import type { CoreConfigFacts, OnboardingState, PersonEntry } from "../../model/storage-facts.js";
import type { FieldReader } from "./fields.js";
import { isRecord } from "./store-file.js";

/** `onboarding/const.py` (2023.x–2026): every step must be done for onboarding to be over. */
export const ONBOARDING_STEPS = ["user", "core_config", "analytics", "integration"] as const;

/** A login of `auth_provider.homeassistant`, hash still inside: only the password audit may see it. */
export interface ProviderLogin {
  username: string;
  /** `base64(bcrypt hash)`, as `auth/providers/homeassistant.py` stores it. */
  passwordBase64: string;
}

/** `.storage/auth_provider.homeassistant`: `{"users": [{"username", "password"}]}`. */
export function parseProviderLogins(data: unknown, reader: FieldReader): ProviderLogin[] {
  if (!isRecord(data)) {
    reader.problems.push("`data` is not an object");
    return [];
  }
  reader.noteUnknown(data, ["users"], "data");
  const logins: ProviderLogin[] = [];
  for (const [index, raw] of reader.objectList(data, "users", "data").entries()) {
    const where = `users[${index}]`;
    reader.noteUnknown(raw, ["username", "password"], "users");
    const username = reader.string(raw, "username", where);
    const password = reader.string(raw, "password", where);
    if (username !== undefined && password !== undefined) logins.push({ username, passwordBase64: password });
  }
  return logins;
}

/**
 * `.storage/auth_module.totp` (`{"users": {user_id: secret}}`) and `.storage/auth_module.notify`
 * (`{"users": {user_id: {notify_service, target}}}`): only which users are enrolled is kept.
 */
export function parseMfaEnrolment(data: unknown, reader: FieldReader): string[] {
  if (!isRecord(data)) {
    reader.problems.push("`data` is not an object");
    return [];
  }
  reader.noteUnknown(data, ["users"], "data");
  const users = data.users;
  if (!isRecord(users)) {
    reader.problems.push("data: `users` is not an object");
    return [];
  }
  return Object.keys(users);
}

/** `.storage/onboarding`: `{"done": [steps]}`. */
export function parseOnboarding(data: unknown, reader: FieldReader): OnboardingState | undefined {
  if (!isRecord(data)) {
    reader.problems.push("`data` is not an object");
    return undefined;
  }
  reader.noteUnknown(data, ["done"], "data");
  if (!Array.isArray(data.done)) {
    reader.problems.push("data: `done` is not a list");
    return undefined;
  }
  const done = reader.stringList(data, "done", "data");
  return { done, pending: ONBOARDING_STEPS.filter((step) => !done.includes(step)) };
}

/** `.storage/person` (version 2): `{"items": [{id, name, user_id, device_trackers, picture?}]}`. */
export function parsePersons(data: unknown, reader: FieldReader): PersonEntry[] {
  if (!isRecord(data)) {
    reader.problems.push("`data` is not an object");
    return [];
  }
  const persons: PersonEntry[] = [];
  for (const [index, raw] of reader.objectList(data, "items", "data").entries()) {
    const where = `items[${index}]`;
    const id = reader.string(raw, "id", where);
    const name = reader.string(raw, "name", where);
    if (id === undefined || name === undefined) continue;
    persons.push({ id, name, userId: reader.optionalString(raw, "user_id", where) });
  }
  return persons;
}

/** `.storage/core.config`: the home's name, time zone and country (words a password may be made of). */
export function parseCoreConfig(data: unknown, reader: FieldReader): CoreConfigFacts | undefined {
  if (!isRecord(data)) {
    reader.problems.push("`data` is not an object");
    return undefined;
  }
  const facts: CoreConfigFacts = {};
  const locationName = reader.optionalString(data, "location_name", "data");
  if (locationName !== null) facts.locationName = locationName;
  const timeZone = reader.optionalString(data, "time_zone", "data");
  if (timeZone !== null) facts.timeZone = timeZone;
  const country = reader.optionalString(data, "country", "data");
  if (country !== null) facts.country = country;
  return facts;
}
