import { describe, expect, it } from "vitest";
import { redactedKeys } from "../../scripts/redacted-keys.js";

// Shaped like an integration's diagnostics.py (written for this test, not copied): constants imported from
// homeassistant.const and the component's const.py, a multi-line set with comments, a list, a literal argument.
const DIAGNOSTICS = `"""Diagnostics support for Demo."""
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from .const import CONF_GATEWAY_KEY
from zigpy.config import CONF_NWK_EXTENDED_PAN_ID

TO_REDACT = {
    CONF_PASSWORD,  # the account's
    CONF_GATEWAY_KEY,
    "local_key",
    CONF_NWK_EXTENDED_PAN_ID,
}
REDACT_CONFIG: Final = [CONF_USERNAME, 'serial']
OTHER = {"not_this"}

async def async_get_config_entry_diagnostics(hass, entry):
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "state": async_redact_data(state, {"pin", CONF_PASSWORD}),
    }
`;
const COMPONENT_CONST = 'CONF_GATEWAY_KEY = "key"\n';
const HA_CONST = 'CONF_PASSWORD: Final = "password"\nCONF_USERNAME: Final = "username"\n';

describe("reading the keys an integration redacts from its diagnostics.py", () => {
  it("resolves constants through the files that define them and names what it could not", () => {
    expect(redactedKeys(DIAGNOSTICS, [COMPONENT_CONST, HA_CONST])).toEqual({
      sets: ["TO_REDACT", "REDACT_CONFIG", "async_redact_data(…)"],
      keys: ["password", "key", "local_key", "username", "serial", "pin"],
      unresolved: ["CONF_NWK_EXTENDED_PAN_ID"],
    });
  });

  it("finds nothing in a file that redacts nothing", () => {
    expect(redactedKeys('async def f():\n    return {"a": 1}\n', [HA_CONST])).toEqual({
      sets: [],
      keys: [],
      unresolved: [],
    });
  });
});
