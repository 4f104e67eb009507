import { defineCheck } from "../../model/check.js";
import { count, pick } from "../../model/words.js";
import { publicUrlOf, WWW_SOURCES, wwwFiles } from "./www-files.js";

const LISTED = 50;

export const wwwPublicFiles = defineCheck({
  id: "www/public-files",
  title: "Files served publicly from www/",
  severity: "info",
  area: "config",
  checklist: "public-files",
  needs: ["config"],
  description:
    "Everything in the configuration's `www/` folder is served at `/local/...` to anyone who can reach Home " +
    "Assistant, without logging in. Owners are regularly surprised by this. Knowing the file name is the only " +
    "protection, and names get guessed, logged by proxies and shared in dashboards. This finding lists the files " +
    "so the owner can confirm each one is meant to be public; www/sensitive-file flags the dangerous ones.",
  remediation:
    "Keep only files that may be public (card JavaScript, images, sounds). Move everything else out of `www/`; " +
    "for private media use the `/media` folder, which requires login.",
  sources: [...WWW_SOURCES],
  run(facts) {
    const config = facts.config;
    const files = wwwFiles(config);
    if (files.length === 0) return [];
    return [
      {
        message: publicFilesSentence(files.map((f) => publicUrlOf(f.path))),
        location: { file: "www" },
        evidence: count(files.length, "public file"),
      },
    ];
  },
});

/** `2 files in www/ are public without login: /local/a, /local/b.` (the first LISTED named). */
export function publicFilesSentence(urls: readonly string[]): string {
  const more = urls.length > LISTED ? ` and ${urls.length - LISTED} more` : "";
  const listed = urls.length === 0 ? "" : `: ${urls.slice(0, LISTED).join(", ")}${more}`;
  return `${count(urls.length, "file")} in www/ ${pick(urls.length, "is", "are")} public without login${listed}.`;
}
