import { loadConfig } from "./src/sources/config/index.ts";
const t = performance.now();
const { errors } = await loadConfig(process.argv[2] ?? "/tmp/ah/mhome");
console.log("ms", (performance.now() - t).toFixed(0), "errors", errors.length, "maxRSS MiB", (process.resourceUsage().maxRSS / 1024).toFixed(0));
