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
  /** YAML nodes one file may expand to, aliases included (alias bombs stop here). */
  maxNodesPerFile: 1_000_000,
  /** Nodes created by alias expansion in one file. */
  maxAliasNodesPerFile: 100_000,
  /** Files the includes of one configuration may load. */
  maxIncludedFiles: 20_000,
  /** Nesting depth of includes (a chain, not a cycle, can still be absurd). */
  maxIncludeDepth: 64,
} as const;

/** Folders whose contents are tool or cache state, not configuration: listed, never read. */
export const SKIPPED_DIRS = new Set([".git", "node_modules", "__pycache__", "deps", ".cache", "tts"]);
