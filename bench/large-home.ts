import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Writes a large, realistic-shaped home: ~2,000 YAML files and ~200,000 lines, with packages, folder
 * includes, merge keys, secrets and a 30-deep include chain. Returns the number of files and lines written.
 */
export function writeLargeHome(root: string, files = 2000, linesPerFile = 100): { files: number; lines: number } {
  let written = 0;
  let lines = 0;
  const write = (relative: string, text: string) => {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    written++;
    lines += text.split("\n").length - 1;
  };
  write(
    "configuration.yaml",
    [
      "homeassistant:",
      "  name: Bench Home",
      "  latitude: !secret latitude",
      "  longitude: !secret longitude",
      "  packages: !include_dir_named packages",
      "http:",
      "  login_attempts_threshold: 5",
      "automation: !include_dir_merge_list automations",
      "script: !include_dir_merge_named scripts",
      "deep: !include deep/level0.yaml",
      "",
    ].join("\n"),
  );
  write("secrets.yaml", "latitude: 52.1\nlongitude: 4.3\nmqtt_password: bench-secret-value\n");
  const depth = 30;
  for (let i = 0; i < depth; i++) {
    write(`deep/level${i}.yaml`, i + 1 < depth ? `level: ${i}\nnext: !include level${i + 1}.yaml\n` : `level: ${i}\n`);
  }
  const remaining = files - written;
  const automationFiles = Math.floor(remaining * 0.5);
  const scriptFiles = Math.floor(remaining * 0.3);
  const packageFiles = remaining - automationFiles - scriptFiles;
  const automationsPerFile = Math.max(1, Math.floor(linesPerFile / 10));
  for (let f = 0; f < automationFiles; f++) {
    const body: string[] = [];
    for (let a = 0; a < automationsPerFile; a++) {
      body.push(
        `- id: "auto_${f}_${a}"`,
        `  alias: Automation ${f}.${a}`,
        "  trigger:",
        "    - platform: state",
        `      entity_id: binary_sensor.motion_${a}`,
        '      to: "on"',
        "  action:",
        "    - service: light.turn_on",
        `      target: {entity_id: light.room_${f % 50}}`,
        "  mode: single",
      );
    }
    write(`automations/area${f % 20}/auto_${f}.yaml`, `${body.join("\n")}\n`);
  }
  for (let f = 0; f < scriptFiles; f++) {
    const body = [`defaults_${f}: &defaults_${f}`, "  mode: queued", "  max: 5"];
    for (let s = 0; body.length < linesPerFile - 4; s++) {
      body.push(
        `script_${f}_${s}:`,
        `  <<: *defaults_${f}`,
        `  alias: Script ${f} ${s}`,
        "  sequence:",
        "    - delay: 1",
      );
    }
    write(`scripts/script_${f}.yaml`, `${body.join("\n")}\n`);
  }
  for (let f = 0; f < packageFiles; f++) {
    const body = ["sensor:"];
    for (let s = 0; body.length < linesPerFile - 5; s++) {
      body.push(
        "  - platform: template",
        "    sensors:",
        `      temp_${f}_${s}:`,
        `        value_template: "{{ ${s} }}"`,
      );
    }
    body.push("mqtt:", "  broker: core-mosquitto", "  password: !secret mqtt_password");
    write(`packages/package_${f}.yaml`, `${body.join("\n")}\n`);
  }
  return { files: written, lines };
}
