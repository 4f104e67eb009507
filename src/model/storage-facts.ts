/**
 * What Home Assistant's `.storage/` says about users, credentials, MFA and tokens.
 * Owned by the storage reader (src/sources/storage); see shared ha-facts §3.
 */
export interface StorageFacts {
  /** Absolute path of the `.storage` folder. */
  dir: string;
}
