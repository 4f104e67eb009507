import { existsSync } from "node:fs";
import { BanManager } from "../ban-manager.js";
import { banView } from "../ban-view.js";
import { GuardBus } from "../bus.js";
import type { GuardConfig } from "../config.js";
import { buildBackends } from "../guard.js";
import { HomeAssistantBans, ipBansLocation } from "../ha-unban.js";
import { GuardStore } from "../store.js";
import { restoreAccess } from "./actions.js";
import type { BansResult, UnbanResult } from "./protocol.js";

/**
 * What `guard bans` and `guard unban` do when no guard runs: the same answers as the control channel's,
 * from the store and the backends directly. A store that does not exist is not created.
 */

type Say = (message: string) => void;

function openStore(path: string, mode: "edit" | "read"): GuardStore | null {
  return existsSync(path) ? GuardStore.open(path, mode) : null;
}

/**
 * Bans the store has not lifted, the expired ones included (marked: no guard ran to lift them, and
 * ip_bans.yaml still holds them); which backends hold each is read from the backends themselves.
 */
export async function bansFromStore(config: GuardConfig, say: Say, limit: number): Promise<BansResult> {
  const store = openStore(config.store, "read");
  if (!store) throw new Error(`no guard store at '${config.store}' (give --store or --config)`);
  try {
    const bans = store.unliftedBans().sort((a, b) => a.until - b.until);
    const holding = new Map<string, Set<string>>();
    for (const backend of buildBackends(config.backends, {})) {
      if (backend.name === "dry-run") continue; // holds nothing outside a running guard
      try {
        holding.set(backend.name, new Set(await backend.list()));
      } catch (error) {
        say(`cannot tell which bans ${backend.name} holds: ${(error as Error).message}`);
      }
    }
    const now = Date.now();
    const views = bans.slice(0, limit).map((ban) =>
      banView(
        ban,
        [...holding].filter(([, listed]) => listed.has(ban.address)).map(([name]) => name),
        now,
      ),
    );
    return { total: bans.length, bans: views };
  } finally {
    store.close();
  }
}

/** Lifts the ban in the store and on every backend, and Home Assistant's own ban (ha-unban.ts). */
export async function unbanWithoutGuard(
  config: GuardConfig,
  address: string,
  options: { restartHa: boolean },
  say: Say,
): Promise<UnbanResult> {
  let store = openStore(config.store, "edit");
  if (!store) {
    say(`no guard store at '${config.store}': only the backends and Home Assistant are cleared`);
    store = GuardStore.open(":memory:", "edit");
  }
  const bus = new GuardBus();
  bus.on(bus, "warning", ({ message }) => say(message));
  const homeAssistant = new HomeAssistantBans({ ...ipBansLocation(config), api: config.notify.homeAssistant ?? null });
  const backends = buildBackends(config.backends, { say });
  // not started: an unban must not create the firewall table or anything else
  const bans = new BanManager(bus, backends, store);
  try {
    const [result] = await restoreAccess({ bans, homeAssistant, bus }, [address], "command", options.restartHa);
    if (!result) throw new Error(`unban ${address} failed`);
    return result;
  } finally {
    for (const backend of backends) await backend.stop().catch(() => undefined);
    store.close();
  }
}
