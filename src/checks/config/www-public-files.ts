import { defineCheck } from "../../model/check.js";
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
    const listed = files.slice(0, LISTED).map((f) => publicUrlOf(f.path));
    const more = files.length > LISTED ? ` and ${files.length - LISTED} more` : "";
    return [
      {
        message: `${files.length} file${files.length === 1 ? "" : "s"} in www/ ${files.length === 1 ? "is" : "are"} public without login: ${listed.join(", ")}${more}.`,
        location: { file: "www" },
        evidence: `${files.length} public file${files.length === 1 ? "" : "s"}`,
      },
    ];
  },
});
