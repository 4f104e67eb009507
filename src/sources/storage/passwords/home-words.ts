import type { ConfigFacts } from "../../../model/config-facts.js";
import type { CoreConfigFacts, PersonEntry, StorageAuth } from "../../../model/storage-facts.js";
import { getPath, scalarString } from "../../../model/yaml-node.js";
import type { HomeWords } from "./candidates.js";

/**
 * The home's name and city as Home Assistant knows them: `.storage/core.config` (set in the UI) and the
 * `homeassistant:` block of configuration.yaml (which overrides it). Home Assistant stores no address, but
 * owners often name the home after it (`12 Oak Street`: the street and the house number), and the time zone
 * names a city (`Europe/Amsterdam`); people pick passwords after where they live.
 */
export function homeWords(
  auth: StorageAuth | undefined,
  persons: readonly PersonEntry[],
  coreConfig: CoreConfigFacts | undefined,
  config: ConfigFacts | undefined,
): HomeWords {
  const yamlCore = getPath(config?.configuration, "homeassistant");
  const homeNames = [coreConfig?.locationName, scalarString(getPath(yamlCore, "name"))];
  const timeZones = [coreConfig?.timeZone, scalarString(getPath(yamlCore, "time_zone"))];
  const userNames = [
    ...(auth?.users ?? [])
      .filter((user) => !user.systemGenerated)
      .flatMap((user) => [user.name ?? "", ...user.usernames]),
    ...persons.map((person) => person.name),
  ];
  const names = clean(homeNames);
  return {
    homeNames: clean(names.map(withoutNumbers)),
    cities: clean(timeZones.map(cityOfTimeZone)),
    houseNumbers: clean(names.flatMap(houseNumbers)),
    userNames: clean(userNames),
  };
}

/** `12 Oak Street` → `Oak Street`: the words of an address, which people type with or without its number. */
export function withoutNumbers(name: string): string {
  return name
    .replace(/\b\d+[a-z]?\b/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The house numbers in a name that is an address (`12 Oak Street`, `Lindenstraße 5a` → `12`, `5a`). */
export function houseNumbers(name: string): string[] {
  return [...name.matchAll(/\b(\d{1,5}[a-z]?)\b/gi)].map((match) => match[1] ?? "").filter((n) => n.length > 0);
}

/** `Europe/Amsterdam` → `Amsterdam`, `America/New_York` → `New York`; `UTC` and `Etc/*` name no place. */
export function cityOfTimeZone(zone: string | undefined): string | undefined {
  if (zone === undefined || !zone.includes("/") || zone.startsWith("Etc/")) return undefined;
  const city = zone.split("/").at(-1);
  return city?.replace(/_/g, " ");
}

function clean(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value.trim().length > 0))];
}
