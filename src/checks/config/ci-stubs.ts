import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";

/**
 * Files a CI configuration check puts in place of the real ones: shared configurations keep a fake secrets file
 * so `check_config` can run on GitHub without the real `secrets.yaml`. The shapes are the ones public
 * configurations use:
 * - a shell step, `cp ./secrets.fake.yaml ./esphome/secrets.yaml` or `mv secrets_example.yaml secrets.yaml`, or a
 *   whole stub folder, `cp -R ./.stubs/* ./config` (frenck/home-assistant-config, RafhaanShah/Home-Assistant-Config);
 * - an action input naming the file, `secrets: fakesecrets.yaml` (frenck/action-home-assistant, which looks it up
 *   from the repository root and from its `path:` input and copies it to `<path>/secrets.yaml`) or
 *   `secretsfile: xxxxx.yaml` (sinclairpaul/ha-configcheck).
 * Returns each such file with the words saying why, for the files present in the folder.
 */
export function ciStubFiles(config: ConfigFacts): Map<string, string> {
  const stubs = new Map<string, string>();
  const present = new Set(config.files.filter((f) => f.type === "file").map((f) => f.path));
  for (const [file, text] of config.texts) {
    if (!isCiFile(file)) continue;
    const bases = ["", ...actionPaths(text)];
    const mark = (candidate: string, how: string) => {
      for (const base of bases) {
        const resolved = resolve(base, candidate);
        if (resolved === undefined) continue;
        if (present.has(resolved)) {
          stubs.set(resolved, `the CI workflow \`${file}\` ${how}`);
          return;
        }
        // a whole stub folder copied into the configuration
        const folder = resolved === "" ? "" : `${resolved}/`;
        const inside = [...present].filter((p) => folder !== "" && p.startsWith(folder));
        for (const p of inside)
          stubs.set(p, `the CI workflow \`${file}\` copies its folder \`${resolved}\` into the configuration`);
        if (inside.length > 0) return;
      }
    };
    for (const line of text.split(/\r?\n/)) {
      for (const copy of line.matchAll(COPY_COMMAND)) {
        const source = unquote(copy[3] ?? "");
        const target = unquote(copy[4] ?? "");
        const targetBase = path.posix.basename(target);
        if (/\/\*$|\/\.$/.test(source)) mark(source.replace(/\/\*$|\/\.$/, ""), "copies into the configuration");
        else if (targetBase === "secrets.yaml" || /secret/i.test(path.posix.basename(source))) {
          mark(source, "copies it into place as secrets.yaml");
        }
      }
      const input = SECRETS_INPUT.exec(line)?.[1];
      if (input !== undefined) mark(unquote(input), "hands it to the configuration check as its secrets file");
    }
  }
  return stubs;
}

function isCiFile(file: string): boolean {
  return (
    /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file) ||
    /^\.github\/.+\.sh$/.test(file) ||
    /^\.(travis|gitlab-ci)\.ya?ml$/.test(file) ||
    file === ".circleci/config.yml"
  );
}

/** `cp [-R] SOURCE TARGET` (also mv, ln -s, install, rsync), anywhere in a line (`run: a && cp x y`). */
const COPY_COMMAND =
  /(?:^|[\s;&|(:])(cp|mv|ln|install|rsync)((?:\s+-{1,2}[\w-]+)*)\s+("[^"]+"|'[^']+'|[^\s;&|"']+)\s+("[^"]+"|'[^']+'|[^\s;&|"']+)/g;

/** An action input naming the fake secrets file. */
const SECRETS_INPUT = /^\s*(?:-\s+)?(?:secrets|secretsfile|secrets_file|secrets-file)\s*:\s*(\S+)\s*$/;

/** The `path:` inputs of a workflow: the configuration folder the action checks. */
function actionPaths(text: string): string[] {
  return [...text.matchAll(/^\s*path\s*:\s*(\S+)\s*$/gm)].map((m) => unquote(m[1] ?? ""));
}

function unquote(token: string): string {
  return token.replace(/^["']|["']$/g, "");
}

/** A workflow path as a path relative to the configuration folder (which is the repository root here). */
function resolve(base: string, candidate: string): string | undefined {
  const strip = (p: string) =>
    p
      .replace(/^\$\{\{\s*github\.workspace\s*\}\}\/?|^\$\{?GITHUB_WORKSPACE\}?\/?|^\/github\/workspace\/?/, "")
      .replace(/^\.\//, "");
  const joined = path.posix.normalize(path.posix.join(strip(base), strip(candidate)));
  if (joined.startsWith("..") || path.posix.isAbsolute(joined) || joined.includes("$")) return undefined;
  return joined === "." ? "" : joined;
}
