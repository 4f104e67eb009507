/**
 * Values that sit where a credential goes but are not one: references to a secret kept elsewhere, templates,
 * and the placeholders people write when they share a configuration or ship an example (`MY_WIFI_PASSWORD`,
 * `<password>`, `**REDACTED**`, `changeme`, `xxxxxxxx`, `00000000…`, `abcdefghijklmnop`, a schema's type name
 * `str?`, a regular expression). The shapes come from real shared configurations and CI stub secrets files
 * (for example frenck/home-assistant-config `secrets.fake.yaml`: `password`, `0000…`, `00aa00aa…`,
 * `abcdefghijklmnopqrstuvw-g`) and from the placeholders of zigbee2mqtt and AppDaemon documentation.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/^["'`]|["'`]$/g, "");
  if (v === "" || v === "~" || v === "null" || v === "None") return true;
  if (/^!(secret|env_var|input)\b/.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^%\([^)]*\)s$|^%[A-Za-z_]+%$/.test(v)) return true;
  // templates and interpolation (`{{ states(...) }}`, `Bearer ${TOKEN}`): the secret is elsewhere
  if (v.includes("{{") || v.includes("{%") || /\$\{[^}]+\}/.test(v)) return true;
  if (/^(process\.env|os\.environ|env\.|getenv)/i.test(v)) return true;
  if (/^(\/|\.\/|~\/)[\w./-]*$/.test(v)) return true; // a file path
  return isPlaceholderWord(v);
}

/** Words that name the value instead of holding it; checked on the whole value, case-insensitively. */
const NAMING_WORDS = new RegExp(
  "^(?:" +
    [
      "change[_-]?(?:me|it|this)",
      "replace[_-]?(?:me|this)",
      // `your_password`, `my-api-key`, `enter_token_here`, `insert password`
      "(?:your|my|insert|enter|put|fill[_-]?in)[_ -]?(?:own[_ -]?)?(?:wifi[_ -]?|mqtt[_ -]?|api[_ -]?)?" +
        "(?:password|passwd|pass|pw|pwd|token|key|secret|code|pin|ssid|user(?:name)?|email|credentials?|value)(?:[_ -]?here)?",
      "(?:api|app|access|secret|private|consumer|client|auth)[_-]?(?:key|secret|token|id)",
      "pass(?:word|wd|phrase)?|pwd|pw|secret|token|key|apikey|username|user|login",
      "foo|bar|foobar|baz|test|testing|todo|tbd|fixme|dummy|fake|example|sample|placeholder",
      "none|nil|empty|n/a|unknown|string",
      "redacted|hidden|removed|censored|obfuscated|masked|omitted|private",
    ].join("|") +
    ")$",
  "i",
);

/** A schema's type name (`password: str`, add-on `password: password?`, `match(^.*$)`). */
const TYPE_NAME =
  /^(?:str|string|text|int|integer|float|number|bool|boolean|password|email|url|port|secret|any|list|dict|object|bytes|uuid|char|varchar)\??$|^(?:str|int|float|email|url|password|port|match|list|device)\(.*\)\??$/i;

/** Regular-expression syntax no password is written with (`(.*)`, `[^&]+`, `\s`, `(?:`). */
const REGEX_SYNTAX = /\.\*|\.\+|\[\^|\(\?[:=!<]|\\[sSdDwWb]|^\^.*\$$/;

function isPlaceholderWord(v: string): boolean {
  if (NAMING_WORDS.test(v) || TYPE_NAME.test(v) || REGEX_SYNTAX.test(v)) return true;
  // `<password>`, `[PASS]`, `{api key}`, `(your token)`, `**REDACTED**`, `[redacted]`
  if (/^<[^>]*>$/.test(v) || /^[[{(]\s*[\w\s.-]{1,48}\s*[\]})]$/.test(v)) return true;
  if (/^\W+\s*\w+\s*\W+$/.test(v) && NAMING_WORDS.test(v.replace(/\W/g, ""))) return true;
  // `MY_WIFI_PASSWORD`, `PASSWORD_MQTT`, `NOME_UTENTE_MQTT`: ALL-CAPS words joined by _ or -
  if (/^[A-Z]+(?:[_-][A-Z]+)+$/.test(v) || /^(?:MY|YOUR|THE)?(?:PASSWORD|PASSWD|PASS|TOKEN|SECRET|APIKEY|KEY)$/.test(v))
    return true;
  // `...`, `***`, `xxxxxxxx`, `xxxx-xxxx-xxxx`, `•••`
  if (/^[.…*•·#?xX]+(?:[-_ :.][.…*•·#?xX]+)*$/.test(v)) return true;
  // `sk_live_xxxxxxxxxxxx`, `ghp_xxxxxxxxxxxxxxxx`: a real prefix with the secret part crossed out
  if (/(?:^|[-_:.])(?:[xX]{6,}|[*•]{6,})$/.test(v)) return true;
  const bare = v.replace(/[-_:. ]/g, "");
  if (bare.length >= 6 && /^(.)\1+$/.test(bare)) return true; // 000000, aaaaaaaa
  if (bare.length >= 12 && /^(.{2,4})\1{2,}.{0,3}$/.test(bare)) return true; // 00aa00aa00aa, 1234123412341234
  return bare.length >= 10 && longestAscendingRun(bare.toLowerCase()) >= bare.length - 2; // abcdefghij…, 0123456789
}

/** Length of the longest run of consecutive characters (`abcd`, `3456`) in a value. */
function longestAscendingRun(text: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/**
 * The `user:password@` of a documentation URL: the password is a word that names a password, or user and
 * password are both such words (`user:pass`, `username:password`, `login:secret`).
 */
export function isPlaceholderUserinfo(user: string, password: string): boolean {
  return (
    isPlaceholder(password) ||
    (NAMING_WORDS.test(user) && /^[a-z]+$/i.test(password) && password.length <= 12 && NAMING_WORDS.test(password))
  );
}

/**
 * A password that looks chosen rather than written as an example: used where only credential shapes are
 * searched (third-party code), so a plain lowercase word (`mqtt://user:secret@broker` in a README) does not count.
 */
export function looksRealPassword(password: string): boolean {
  if (isPlaceholder(password) || password.length < 6) return false;
  return /\d/.test(password) || /[A-Z]/.test(password) || /[^A-Za-z0-9]/.test(password);
}

/** A line of a shell script that edits text with sed or perl: its substitution is a pattern, not a value. */
export function isTextEditingCommand(line: string): boolean {
  return /(?:^|[\s;|&(`])(?:sed|perl\s+-\w*[pie]\w*)\s/.test(line);
}
