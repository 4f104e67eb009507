/** Bounds that keep a hostile or broken configuration directory from exhausting time or memory. */
export const LIMITS = {
  /** A YAML file larger than this is not parsed (Home Assistant configs are kilobytes). */
  maxYamlBytes: 8 * 1024 * 1024,
  /** Text files up to this size are kept for the secret scans. */
  maxTextBytes: 2 * 1024 * 1024,
  /**
   * Leading bytes of one binary file searched for embedded secrets (databases, unknown binaries): a recorder
   * database of gigabytes is never read whole. Media and archives are not searched at all (content-type.ts).
   */
  maxBinaryScanBytes: 8 * 1024 * 1024,
  /** Bytes of binary files searched in one run, all files together; the rest are named in one error. */
  maxBinaryScanTotalBytes: 64 * 1024 * 1024,
  /** Archives whose listing is read (each look is bounded by archive-listing.ts ARCHIVE_LIMITS). */
  maxArchivesListed: 200,
  /** Printable strings kept per binary file. */
  maxBinaryStringsBytes: 1024 * 1024,
  /** Files listed in the inventory. */
  maxFiles: 50_000,
  /** Directory depth of the inventory walk. */
  maxDepth: 24,
  /** YAML nodes one file may spell out. */
  maxNodesPerFile: 1_000_000,
  /**
   * Nodes one file may add through aliases and merge keys. An alias shares the node it names (as PyYAML does),
   * so this bounds what the checks walk, not memory: an alias bomb stops here.
   */
  maxAliasNodesPerFile: 2_000_000,
  /** Nesting of mappings and sequences (Home Assistant configurations nest a few dozen levels at most). */
  maxNestingDepth: 200,
  /** Files the includes of one configuration may load. */
  maxIncludedFiles: 20_000,
  /** Nesting depth of includes (a chain, not a cycle, can still be absurd). */
  maxIncludeDepth: 64,
} as const;

/** Folders whose contents are tool or cache state, not configuration: listed, never read. */
export const SKIPPED_DIRS = new Set([".git", "node_modules", "__pycache__", "deps", ".cache", "tts"]);
