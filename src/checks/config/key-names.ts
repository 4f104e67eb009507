/** `MYSQL_ROOT_PASSWORD`, `apiKey`, `client-secret` → `mysql_root_password`, `api_key`, `client_secret`. */
export function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
