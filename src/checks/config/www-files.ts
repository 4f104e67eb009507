import path from "node:path";
import type { ConfigFacts, ConfigFileInfo } from "../../model/config-facts.js";

/** Files under `www/`: served to anyone at `/local/...` without login (http/static, ha-facts §4). */
export function wwwFiles(config: ConfigFacts): ConfigFileInfo[] {
  return config.files.filter((f) => f.type === "file" && f.path.startsWith("www/"));
}

export function publicUrlOf(file: string): string {
  return `/local/${file.slice("www/".length)}`;
}

const ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.bz2|tar\.xz|tbz2|txz|zip|7z|rar|gz|bz2|xz|zst)$/i;

/** Backup archives: Home Assistant's own `.tar` backups and any compressed bundle a backup tool or person made. */
export function isArchive(file: string): boolean {
  return ARCHIVE.test(path.posix.basename(file));
}

/** Why everything in `www/` is public: the same sources back every www check. */
export const WWW_SOURCES = [
  "homeassistant/components/frontend and http/static.py (`/local/` serves <config>/www without authentication)",
  "observed on Home Assistant 2023.11.3: GET /local/test.txt answers 200 without a token",
  "home-assistant/core issues #19748, #18607, #33518 (owners surprised that www/ is public)",
];
