/**
 * Path rules shared by the inventory (what to read) and the checks (how to judge what was read). Pure: names
 * only, no I/O.
 */

/**
 * Web assets compressed ahead of time so the server can send them as they are: HACS writes a `.gz` twin of every
 * card file it installs (`card.js` → `card.js.gz`), and build tools do the same for `.css`, `.html`, `.json`.
 * They are copies of public code, never a backup.
 */
export function isPrecompressedAsset(file: string): boolean {
  return /\.(m?js|cjs|css|html?|json|map|svg|txt|xml|wasm|woff2?|ttf|eot|ico|webmanifest)\.(gz|br)$/i.test(file);
}
