import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  cpSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { writeLargeHome } from "./large-home.js";

export interface LiveHomeShape {
  yamlFiles: number;
  cards: number;
  integrations: number;
  mediaFiles: number;
  mediaBytes: number;
  recorderBytes: number;
}

/**
 * A live home as issue 9 measured it: HACS with 40 frontend cards (minified bundles, their `.js.gz` twins, a few
 * source maps and release zips) and 20 custom integrations, a 1 GiB recorder database (sparse: the audit must not
 * read it), 5,000 media files (images, sounds, TTS cache) and 1,500 YAML files, with `.storage` and `.HA_VERSION`.
 */
export function writeLiveHome(root: string): LiveHomeShape {
  const write = (relative: string, content: string | Buffer) => {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  };
  const { files: yamlFiles } = writeLargeHome(root, 1500, 100);
  write(".HA_VERSION", "2026.11.2\n");
  write(
    ".storage/core.config",
    `${JSON.stringify({ version: 1, minor_version: 4, key: "core.config", data: { latitude: 52.1, longitude: 4.3, elevation: 0, unit_system_v2: "metric", location_name: "Home", time_zone: "Europe/Amsterdam", external_url: null, internal_url: null, currency: "EUR", country: "NL", language: "en" } }, null, 2)}\n`,
  );
  // the real stores of the recorded 2023.11.3 instance (an owner, onboarding done), private as Home Assistant keeps them
  const stores = fileURLToPath(new URL("../test/fixtures/storage/ha-2023.11.3/.storage", import.meta.url));
  cpSync(stores, path.join(root, ".storage"), { recursive: true });
  for (const name of readdirSync(stores)) chmodSync(path.join(root, ".storage", name), 0o600);
  chmodSync(path.join(root, "secrets.yaml"), 0o600);

  const cards = 40;
  for (let c = 0; c < cards; c++) {
    const name = `card-${c}`;
    const bundle = minifiedBundle(c, 150_000 + (c % 7) * 60_000);
    write(`www/community/${name}/${name}.js`, bundle);
    write(`www/community/${name}/${name}.js.gz`, gzipSync(bundle, { level: 1 }));
    if (c % 4 === 0) write(`www/community/${name}/${name}.js.map`, sourceMap(name, bundle.length));
    if (c % 10 === 0) write(`www/community/${name}/${name}.zip`, storedZip(`${name}.js`, bundle.slice(0, 20_000)));
  }
  const integrations = 20;
  for (let i = 0; i < integrations; i++) writeIntegration(write, `vendor_${i}`);

  // media: real magic bytes in front of incompressible bodies, like photos and sounds
  const noise = randomBytes(1 << 20);
  const kinds: [string, Buffer][] = [
    ["jpg", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00])],
    ["png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ["mp3", Buffer.from("ID3\x04\x00\x00\x00\x00\x00\x00", "latin1")],
    ["ogg", Buffer.from("OggS\x00\x02", "latin1")],
  ];
  const mediaFiles = 5000;
  let mediaBytes = 0;
  for (let m = 0; m < mediaFiles; m++) {
    const [ext, magic] = kinds[m % kinds.length] as [string, Buffer];
    const size = 20_000 + ((m * 7919) % 70_000);
    const start = (m * 4099) % (noise.length - size);
    const folder = m % 5 === 0 ? "tts" : m % 5 === 1 ? "www/images" : "media/camera";
    write(
      `${folder}/${String(m).padStart(5, "0")}.${ext}`,
      Buffer.concat([magic, noise.subarray(start, start + size)]),
    );
    mediaBytes += size + magic.length;
  }

  const recorderBytes = 1024 * 1024 * 1024;
  const fd = openSync(path.join(root, "home-assistant_v2.db"), "w");
  try {
    writeSync(fd, Buffer.from("SQLite format 3\0", "latin1"));
    ftruncateSync(fd, recorderBytes);
  } finally {
    closeSync(fd);
  }
  return { yamlFiles, cards, integrations, mediaFiles, mediaBytes, recorderBytes };
}

/** Minified card code with the words that fooled the old scan: tokens, passwords, api keys, URLs. */
function minifiedBundle(seed: number, bytes: number): string {
  const chunk =
    `var e${seed}=function(t){return t.hass.states[t.entity]};const i="unexpected token",n={apiKey:"AIzaSyD-card-default-${seed}",` +
    'password:"password",token:t.token};class s extends HTMLElement{setConfig(t){if(!t.entity)throw new Error("Unexpected token in config")' +
    '}}fetch("https://api.openweathermap.org/data/2.5/weather?appid="+n.apiKey);customElements.define("x-card",s);' +
    'import("https://unpkg.com/@lit/reactive-element@1.6.1/reactive-element.js");/*! mailto:support@example.org */';
  return `/*! card ${seed} | MIT */${chunk.repeat(Math.ceil(bytes / chunk.length))}\n`;
}

function sourceMap(name: string, size: number): string {
  return `${JSON.stringify({ version: 3, file: `${name}.js`, sources: ["src/card.ts"], sourcesContent: [`// ${size} bytes\nconst token = config.token;\n`], mappings: "AAAA;AACA" })}\n`;
}

/** A one-entry zip with the file stored uncompressed: what a card's release asset looks like to a lister. */
function storedZip(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

function writeIntegration(write: (relative: string, content: string) => void, domain: string): void {
  const dir = `custom_components/${domain}`;
  write(
    `${dir}/manifest.json`,
    `${JSON.stringify({ domain, name: domain, version: "1.2.3", config_flow: true, iot_class: "cloud_polling", requirements: [] }, null, 2)}\n`,
  );
  write(
    `${dir}/const.py`,
    'DOMAIN = "x"\nCONF_PASSWORD = "password"\nCONF_API_KEY = "api_key"\nDEFAULT_TOKEN = "demo-token-not-real"\nAPI_URL = "https://api.vendor.example/v1"\n',
  );
  write(
    `${dir}/__init__.py`,
    `"""The ${domain} integration."""\nfrom .const import DOMAIN\n\nasync def async_setup_entry(hass, entry):\n    token = entry.data["token"]\n    return True\n`.repeat(
      20,
    ),
  );
  write(
    `${dir}/config_flow.py`,
    'import voluptuous as vol\nSCHEMA = vol.Schema({vol.Required("username"): str, vol.Required("password"): str})\n'.repeat(
      30,
    ),
  );
  write(
    `${dir}/sensor.py`,
    "from homeassistant.components.sensor import SensorEntity\n\nclass S(SensorEntity):\n    pass\n".repeat(50),
  );
  write(
    `${dir}/translations/en.json`,
    `${JSON.stringify({ config: { step: { user: { data: { username: "Username", password: "Password", api_key: "API key" } } } } }, null, 2)}\n`,
  );
}
