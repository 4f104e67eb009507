import type { BanBackend } from "./backends/backend.js";
import type { GuardStore, StoreDamage } from "./store.js";

/** What the owner is told (stderr and notification) when the guard's store was damaged or emptied. */

export interface OwnerAlert {
  title: string;
  message: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function damageAlert(damage: StoreDamage): OwnerAlert {
  const kept = [
    plural(damage.kept.bans, "ban", "bans"),
    plural(damage.kept.positions, "log position", "log positions"),
    plural(damage.kept.failures, "recent failed login", "recent failed logins"),
  ].join(", ");
  const lost =
    damage.unreadable.length > 0
      ? ` Could not be read: ${damage.unreadable.join(", ")} — bans the guard no longer knows are not lifted by it; see them with \`hassguard guard bans\` and the backends (nft list table inet hassguard, ip_bans.yaml).`
      : "";
  return {
    title: "the guard's store was damaged and replaced",
    message: `The store ${damage.path} is damaged (${damage.problem}). It was moved to ${damage.movedTo} and the guard goes on with a new store holding what could still be read: ${kept}.${lost}`,
  };
}

export function replacedAlert(replaced: { path: string; movedTo: string | null }): OwnerAlert {
  const how = replaced.movedTo ? `replaced (the file found there was moved to ${replaced.movedTo})` : "deleted";
  return {
    title: "the guard's store was deleted or replaced while the guard ran",
    message: `The store ${replaced.path} was ${how} while the guard was running. The guard wrote its own copy back, with every ban and log position it holds, so \`hassguard guard bans\` and \`guard unban\` see them again.`,
  };
}

/**
 * The store holds no bans although it had some (the lock file's marker): it was deleted, emptied or replaced.
 * The backends are asked what they still hold that the store does not know, so the owner can lift it.
 */
export async function emptiedAlert(store: GuardStore, since: number, backends: BanBackend[]): Promise<OwnerAlert> {
  const known = new Set(store.unliftedBans().map((ban) => ban.address));
  const held: string[] = [];
  for (const backend of backends) {
    const unknown = (await backend.list().catch(() => [] as string[])).filter((address) => !known.has(address));
    if (unknown.length === 0) continue;
    const shown = unknown.slice(0, 5).join(", ") + (unknown.length > 5 ? ", …" : "");
    const note = backend.name.startsWith("ip_bans.yaml") ? " (Home Assistant's own bans are listed there too)" : "";
    held.push(
      `${backend.name} holds ${plural(unknown.length, "address", "addresses")} it does not know: ${shown}${note}`,
    );
  }
  const backendsSay =
    held.length > 0
      ? `${held.join("; ")}. Lift one with \`hassguard guard unban ADDRESS\`.`
      : "No backend holds a ban the store does not know.";
  return {
    title: "the guard's store was emptied",
    message: `The store ${store.path} holds no bans, but it had bans before (the first on ${new Date(since).toISOString()}): it was deleted, emptied or replaced, and the bans that were in force are unknown to the guard now — it will neither lift them nor count repeat offences. ${backendsSay}`,
  };
}
