import { get, type YNode, type YScalar } from "../../model/yaml-node.js";
import { findCommandLineCredentials } from "./command-line-credentials.js";
import { judgeAssignment, type KeyContext, type ValueMatch } from "./credential-patterns.js";
import { mayBeIntegrationKey } from "./integration-secrets.js";
import { nearestKey, nodeAt } from "./walk.js";

/**
 * The credentials in one value of Home Assistant's configuration: by its key's name, by the integration's own
 * list of secrets (the integration and alarm context come from where the value sits), and inside a command line
 * (`shell_command`, `command_line`). Shared by the inline-credential check and the example-value comparison, so
 * both see the same credentials.
 */
export function judgeConfigValue(root: YNode | undefined, path: readonly string[], scalar: YScalar): ValueMatch[] {
  if (scalar.value === null || typeof scalar.value === "boolean") return [];
  const key = nearestKey(path);
  const matches = judgeAssignment(key, scalar.value, mayBeIntegrationKey(key) ? keyContext(root, path) : {});
  if (typeof scalar.value === "string") {
    for (const match of findCommandLineCredentials(scalar.value)) {
      if (!matches.some((m) => m.fingerprint === match.fingerprint)) matches.push(match);
    }
  }
  return matches;
}

/**
 * Which integration a value configures (the top-level key, or the `platform:` of an entity list item; packages
 * are looked through), and whether an alarm panel or a lock takes it: under an `alarm_control_panel`/`lock` key, or
 * in a call to one of their actions (`action: alarm_control_panel.alarm_disarm` with `data: {code: …}`).
 */
export function keyContext(root: YNode | undefined, path: readonly string[]): KeyContext {
  const start = path[0] === "homeassistant" && path[1] === "packages" && path.length > 3 ? 3 : 0;
  const top = path[start]?.split(" ")[0];
  const index = path[start + 1];
  let domain = top;
  if (index !== undefined && /^\d+$/.test(index)) {
    const platform = get(nodeAt(root, path.slice(0, start + 2)), "platform");
    if (platform?.kind === "scalar" && typeof platform.value === "string") domain = platform.value;
  }
  const alarmOrLock =
    path.some((segment) => segment === "alarm_control_panel" || segment === "lock") || callsAlarmOrLock(root, path);
  return { ...(domain === undefined ? {} : { domain }), alarmOrLock };
}

function callsAlarmOrLock(root: YNode | undefined, path: readonly string[]): boolean {
  for (let depth = path.length - 1; depth >= Math.max(0, path.length - 4); depth--) {
    const node = nodeAt(root, path.slice(0, depth));
    for (const key of ["action", "service"]) {
      const called = get(node, key);
      if (
        called?.kind === "scalar" &&
        typeof called.value === "string" &&
        /^(alarm_control_panel|lock)\./.test(called.value)
      ) {
        return true;
      }
    }
  }
  return false;
}
