/** Bounds every protocol probe obeys: a whole-probe time budget and a cap on bytes read from the peer. */
export interface ProbeOptions {
  timeoutMs: number;
  maxBytes: number;
}
