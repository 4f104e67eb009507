// Generated from data/integration-secrets.json by scripts/gen-data-modules.ts (npm run docs): do not edit.
import type { IntegrationSecretData } from "./integration-secrets.js";

const data = {
  "about": "Keys that hold a secret by an integration's own schema, for the credential checks (src/checks/config/integration-secrets.ts). Derived from Home Assistant's source: each integration's diagnostics.py lists the keys it redacts before a diagnostics download is shared. How each list was read, and how to extend it: data/README.md.",
  "repository": "home-assistant/core",
  "derivedBy": "scripts/derive-integration-secrets.ts (from a checkout of home-assistant/core); the entries below were read file by file through a source index, each at the commit it names",
  "global": {
    "why": "Names that mean a secret wherever they appear: the credential constants of homeassistant/const.py (CONF_PASSWORD, CONF_API_KEY, CONF_TOKEN, CONF_ACCESS_TOKEN, CONF_CLIENT_SECRET; already matched by their words) and the compound names the domains below redact that no setting uses for anything else. (`network_key` is left to its domains: zigbee2mqtt's has its own check, and `network_key: GENERATE` there is a directive.)",
    "keys": {
      "s0_legacy_key": "encryption key",
      "s2_access_control_key": "encryption key",
      "s2_authenticated_key": "encryption key",
      "s2_unauthenticated_key": "encryption key",
      "x_authkey": "encryption key",
      "x_iapp_key": "encryption key",
      "x_vwirekey": "encryption key",
      "local_key": "encryption key",
      "alarm_master_code": "PIN code",
      "cloudhook_url": "webhook id",
      "remote_operate_secret": "client secret",
      "google_secure_devices_pin": "PIN code"
    }
  },
  "notCredentials": {
    "why": "Redacted because they identify a person, a place or a device, not because they open anything: the credential checks leave them to the privacy checks.",
    "keys": [
      "username",
      "email",
      "first_name",
      "last_name",
      "name",
      "alias",
      "title",
      "description",
      "summary",
      "pseudo",
      "address",
      "location",
      "locationName",
      "location_id",
      "latitude",
      "longitude",
      "latitude_i",
      "longitude_i",
      "lat_ne",
      "lat_sw",
      "lon_ne",
      "lon_sw",
      "coordinates",
      "zones",
      "timetable",
      "geo_info",
      "host",
      "AccessoryIP",
      "url",
      "mac",
      "mac_address",
      "bluetooth_mac_address",
      "macaddress",
      "gateway_mac",
      "mic_mac",
      "bssid",
      "essid",
      "wifi_name",
      "wifi_ssid",
      "ssid",
      "serial",
      "sn",
      "Serial Number",
      "serial_number",
      "sensor_serial_number",
      "unique_id",
      "id",
      "ieee",
      "partner_ieee",
      "extended_pan_id",
      "panid",
      "bridgeid",
      "homeId",
      "device_id",
      "deviceId",
      "deviceUUID",
      "duid",
      "hwId",
      "oemId",
      "anon_id",
      "x_fingerprint",
      "x_ssh_hostkey_fingerprint",
      "uid",
      "rruid",
      "sid",
      "system_id",
      "UserID",
      "installUserID",
      "HouseID",
      "ring_id",
      "ring_net_id",
      "user_id",
      "users",
      "invitations",
      "pubsubChannel",
      "recentImage",
      "entity_picture",
      "icon",
      "largeIcon",
      "bc_filter_list",
      "paymentProfileId",
      "expires",
      "attendees",
      "ical_uuid",
      "recurring_event_id",
      "cloud_username",
      "key_id",
      "mail_address",
      "report_account"
    ]
  },
  "contextual": {
    "why": "`code` and `pin` are secrets only where an alarm panel or a lock takes them (alarm_control_panel and lock services take ATTR_CODE `code`; the manual alarm panel's `code`): elsewhere `pin` is a GPIO pin (ESPHome) and `code` an IR or RF code. They are judged as PIN codes in those domains, under an `alarm_control_panel`/`lock` key, in a call to an `alarm_control_panel.*`/`lock.*` action, and in the domains whose diagnostics redact them.",
    "source": "homeassistant/components/alarm_control_panel/__init__.py and lock/__init__.py (ATTR_CODE in the service schemas)",
    "keys": [
      "code",
      "pin"
    ],
    "domains": [
      "alarm_control_panel",
      "lock"
    ]
  },
  "domains": {
    "august": {
      "source": "homeassistant/components/august/diagnostics.py",
      "commit": "3a7dce3588596092627bf97003ef2fbaf19e5151",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "HouseID",
        "OfflineKeys",
        "installUserID",
        "invitations",
        "key",
        "pins",
        "pubsubChannel",
        "recentImage",
        "remoteOperateSecret",
        "users",
        "zWaveDSK"
      ]
    },
    "blink": {
      "source": "homeassistant/components/blink/diagnostics.py",
      "commit": "02e6124621fb9f465aa7e4b8d96ba2435be35abc",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "serial",
        "macaddress",
        "username",
        "password",
        "token",
        "unique_id"
      ]
    },
    "deconz": {
      "source": "homeassistant/components/deconz/diagnostics.py",
      "commit": "142fb9cf058be7e707242df99a976db3a242fced",
      "sets": [
        "REDACT_CONFIG",
        "REDACT_DECONZ_CONFIG"
      ],
      "redacted": [
        "api_key",
        "unique_id",
        "bridgeid",
        "mac",
        "panid"
      ]
    },
    "enphase_envoy": {
      "source": "homeassistant/components/enphase_envoy/diagnostics.py",
      "commit": "042bf0bb79eaa34c8c8dffdbf4c1bde3892ccf00",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "name",
        "password",
        "title",
        "unique_id",
        "username",
        "token"
      ]
    },
    "esphome": {
      "source": "homeassistant/components/esphome/diagnostics.py",
      "commit": "06c6268f3733f4b0f943cd7731afdc53cd430ef6",
      "sets": [
        "REDACT_KEYS"
      ],
      "redacted": [
        "noise_psk",
        "password",
        "mac_address",
        "bluetooth_mac_address"
      ]
    },
    "fritz": {
      "source": "homeassistant/components/fritz/diagnostics.py",
      "commit": "0540ebc01e1a3b8da47eca5e8f9f551469c87bbc",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "username",
        "password"
      ]
    },
    "homekit_controller": {
      "source": "homeassistant/components/homekit_controller/diagnostics.py",
      "commit": "14df9f1e482447fb8394f49486e84a06b050f47a",
      "sets": [
        "REDACTED_CONFIG_ENTRY_KEYS",
        "REDACTED_STATE"
      ],
      "redacted": [
        "AccessoryIP",
        "iOSDeviceLTSK",
        "access_token",
        "entity_picture"
      ]
    },
    "mqtt": {
      "source": "homeassistant/components/mqtt/diagnostics.py",
      "commit": "0c6fc9779062be1f9ceb18666965beb539b359c7",
      "sets": [
        "REDACT_CONFIG",
        "REDACT_STATE_DEVICE_TRACKER"
      ],
      "redacted": [
        "password",
        "username",
        "latitude",
        "longitude"
      ]
    },
    "netatmo": {
      "source": "homeassistant/components/netatmo/diagnostics.py",
      "commit": "12e9414247f8af0a604ca15d262c2de8b2da5b90",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "access_token",
        "refresh_token",
        "restricted_access_token",
        "restricted_refresh_token",
        "webhook_id",
        "cloudhook_url",
        "lat_ne",
        "lat_sw",
        "lon_ne",
        "lon_sw",
        "coordinates",
        "name",
        "timetable",
        "zones",
        "pseudo",
        "url"
      ]
    },
    "nut": {
      "source": "homeassistant/components/nut/diagnostics.py",
      "commit": "08361f8f986d30f89e2b0a241f4b7feb0579419a",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "password",
        "username"
      ]
    },
    "pi_hole": {
      "source": "homeassistant/components/pi_hole/diagnostics.py",
      "commit": "1c0d26db186c285e8a43089ef97e669c48854b0f",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "api_key"
      ]
    },
    "ring": {
      "source": "homeassistant/components/ring/diagnostics.py",
      "commit": "10ec26f7569c56f7b4aafbb17fd3cad261fb6934",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "id",
        "device_id",
        "description",
        "first_name",
        "last_name",
        "email",
        "location_id",
        "ring_net_id",
        "wifi_name",
        "latitude",
        "longitude",
        "address",
        "ring_id"
      ]
    },
    "roborock": {
      "source": "homeassistant/components/roborock/diagnostics.py",
      "commit": "0f74014d3b6249af02e2e24522471644c55fb86e",
      "sets": [
        "TO_REDACT_CONFIG",
        "TO_REDACT_COORD"
      ],
      "redacted": [
        "token",
        "sn",
        "rruid",
        "unique_id",
        "username",
        "uid",
        "mac",
        "bssid",
        "duid",
        "localKey"
      ]
    },
    "samsungtv": {
      "source": "homeassistant/components/samsungtv/diagnostics.py",
      "commit": "028cbc21a8d04c841ccd4c9a5ff6c4be5b0e3e82",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "token",
        "session_id"
      ]
    },
    "shelly": {
      "source": "homeassistant/components/shelly/diagnostics.py",
      "commit": "06ec8a9dd93e4dd64e43a01095c341cfa9e14c84",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "username",
        "password"
      ]
    },
    "simplisafe": {
      "source": "homeassistant/components/simplisafe/diagnostics.py",
      "commit": "0e841bb59ddf1bd357371b4510c0f22a510a395f",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "address",
        "code",
        "creditCard",
        "expires",
        "location",
        "locationName",
        "paymentProfileId",
        "serial",
        "sid",
        "system_id",
        "uid",
        "wifi_ssid"
      ]
    },
    "switchbot": {
      "source": "homeassistant/components/switchbot/diagnostics.py",
      "commit": "498efefc8ce46080a447a81ecb9aee0b76a29f78",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "key_id",
        "encryption_key"
      ]
    },
    "totalconnect": {
      "source": "homeassistant/components/totalconnect/diagnostics.py",
      "commit": "288e8fdd4d3f04f9f83a3d0da944b970420e65db",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "username",
        "Password",
        "Usercode",
        "UserID",
        "Serial Number",
        "serial_number",
        "sensor_serial_number"
      ]
    },
    "tplink": {
      "source": "homeassistant/components/tplink/diagnostics.py",
      "commit": "138d07ff2ea8fa640d3c1ff15f6a576fcc1a9744",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "unique_id",
        "alias",
        "mac",
        "mic_mac",
        "host",
        "hwId",
        "oemId",
        "deviceId",
        "latitude",
        "latitude_i",
        "longitude",
        "longitude_i",
        "username"
      ]
    },
    "unifi": {
      "source": "homeassistant/components/unifi/diagnostics.py",
      "commit": "14df9f1e482447fb8394f49486e84a06b050f47a",
      "sets": [
        "TO_REDACT",
        "REDACT_CONFIG",
        "REDACT_CLIENTS",
        "REDACT_DEVICES",
        "REDACT_WLANS"
      ],
      "redacted": [
        "password",
        "host",
        "username",
        "bssid",
        "essid",
        "anon_id",
        "gateway_mac",
        "geo_info",
        "serial",
        "x_authkey",
        "x_fingerprint",
        "x_iapp_key",
        "x_ssh_hostkey_fingerprint",
        "x_vwirekey",
        "bc_filter_list",
        "x_passphrase"
      ]
    },
    "webostv": {
      "source": "homeassistant/components/webostv/diagnostics.py",
      "commit": "02e6124621fb9f465aa7e4b8d96ba2435be35abc",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "client_secret",
        "unique_id",
        "host",
        "device_id",
        "deviceUUID",
        "icon",
        "largeIcon"
      ]
    },
    "xiaomi_miio": {
      "source": "homeassistant/components/xiaomi_miio/diagnostics.py",
      "commit": "0b830bccb644ec5e3e0b95623cd93bfcfe535553",
      "sets": [
        "TO_REDACT"
      ],
      "redacted": [
        "cloud_password",
        "cloud_username",
        "mac",
        "token",
        "unique_id"
      ]
    },
    "zha": {
      "source": "homeassistant/components/zha/diagnostics.py",
      "commit": "07bbd4c503ce97c0f9d8f316c243cf5bdfdcadda",
      "sets": [
        "KEYS_TO_REDACT"
      ],
      "redacted": [
        "ieee",
        "unique_id",
        "alarm_master_code",
        "network_key",
        "extended_pan_id",
        "partner_ieee"
      ]
    },
    "zwave_js": {
      "source": "homeassistant/components/zwave_js/diagnostics.py",
      "commit": "0301bc86a801944239e5d7934a99e7aa0d194717",
      "sets": [
        "KEYS_TO_REDACT",
        "VALUES_TO_REDACT"
      ],
      "redacted": [
        "homeId",
        "location",
        "userCode"
      ]
    }
  },
  "schemas": {
    "apple_tv": {
      "source": "homeassistant/components/apple_tv/const.py (CONF_CREDENTIALS, config entry data: the pairing credentials of each protocol)",
      "located": "search index content id 90142714",
      "keys": [
        "credentials"
      ]
    },
    "xiaomi_aqara": {
      "source": "homeassistant/components/xiaomi_aqara/config_flow.py (GATEWAY_SETTINGS: CONF_KEY, the gateway's 16-character developer key, saved in the entry data)",
      "commit": "06ec8a9dd93e4dd64e43a01095c341cfa9e14c84",
      "keys": [
        "key"
      ]
    },
    "zwave_js": {
      "source": "homeassistant/components/zwave_js/const.py (CONF_NETWORK_KEY, CONF_S0_LEGACY_KEY, CONF_S2_*_KEY: the network keys kept in the entry data when the add-on is managed)",
      "located": "search index content id 319422768",
      "keys": [
        "network_key",
        "s0_legacy_key",
        "s2_access_control_key",
        "s2_authenticated_key",
        "s2_unauthenticated_key"
      ]
    },
    "homekit": {
      "source": "pyhap accessory_driver AccessoryEncoder.persist (HAP-python): the bridge's `private_key` in .storage/homekit.<entry>.state",
      "located": "search index content id 2515101930",
      "keys": [
        "private_key"
      ]
    },
    "cloud": {
      "source": "hass-nabucasa cloud.py _write_user_info (.cloud/<mode>_auth.json: id_token, access_token, refresh_token) and homeassistant/components/cloud/const.py PREF_GOOGLE_SECURE_DEVICES_PIN, PREF_CLOUDHOOKS (.storage/cloud)",
      "located": "search index content ids 1547537067, 146133664",
      "keys": [
        "id_token",
        "access_token",
        "refresh_token",
        "google_secure_devices_pin",
        "cloudhook_url"
      ]
    }
  },
  "checkedWithoutCredential": {
    "androidtv": {
      "source": "homeassistant/components/androidtv/diagnostics.py",
      "commit": "0bc6182bdc26f30f2e4f3cabc542ab5c624e958b"
    },
    "google": {
      "source": "homeassistant/components/google/diagnostics.py",
      "commit": "051fa58f88d9c1ebe525fda0ea66eb53324f8bb4"
    },
    "hue": {
      "source": "homeassistant/components/hue/diagnostics.py",
      "commit": "8434b809d1913eec7fa2c86e415110c26fd6cd5e"
    },
    "matter": {
      "source": "homeassistant/components/matter/diagnostics.py",
      "commit": "207aaf11ed7edfccca6ffacaa1ef635f6a63a178"
    },
    "nest": {
      "source": "homeassistant/components/nest/diagnostics.py",
      "commit": "05efb6ea19079f4add6d808eaa251d4977b6679d"
    },
    "reolink": {
      "source": "homeassistant/components/reolink/diagnostics.py",
      "commit": "10e15e7e4c0b5a9e5ddd219c74b11a060a1c10ae"
    },
    "sonos": {
      "source": "homeassistant/components/sonos/diagnostics.py",
      "commit": "00cc8cbba369467e49b40b388b2e67d5d5f9fcf9"
    },
    "spotify": {
      "source": "homeassistant/components/spotify/diagnostics.py",
      "commit": "02f2b1b4f2fb786e4c82bc2a313a61af7b652200"
    },
    "synology_dsm": {
      "source": "homeassistant/components/synology_dsm/diagnostics.py",
      "commit": "00e926ba846fb7e9194466883b9d8d262845184d"
    },
    "tado": {
      "source": "homeassistant/components/tado/diagnostics.py",
      "commit": "166cad25c9b9112a67642459581778a0af3433ca"
    },
    "tibber": {
      "source": "homeassistant/components/tibber/diagnostics.py",
      "commit": "072f80d847174be896674046db5acff685d9ffd2"
    },
    "tuya": {
      "source": "homeassistant/components/tuya/diagnostics.py",
      "commit": "04746b6843392cc60d84ea9affe83f524a479e26"
    },
    "unifiprotect": {
      "source": "homeassistant/components/unifiprotect/diagnostics.py",
      "commit": "097f673e2ed8f81b35e0d032d36cf73a85573bfb"
    },
    "verisure": {
      "source": "homeassistant/components/verisure/diagnostics.py",
      "commit": "67271d21836833a76e840794e08fc1a5b865db8c"
    },
    "wled": {
      "source": "homeassistant/components/wled/diagnostics.py",
      "commit": "0d41a2abd44a5665013b774179696f7a2419fa2c"
    },
    "yale_smart_alarm": {
      "source": "homeassistant/components/yale_smart_alarm/diagnostics.py",
      "commit": "0d41a2abd44a5665013b774179696f7a2419fa2c"
    }
  }
} as const;

export const INTEGRATION_SECRET_DATA: IntegrationSecretData = data;
