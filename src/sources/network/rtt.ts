/**
 * Round-trip estimate and probe timeout, after RFC 6298 (as nmap's timing engine uses it): smoothed RTT
 * plus four times its variation, kept between a floor and a ceiling. Before any sample the initial
 * timeout holds.
 */
export class RttEstimator {
  private smoothed: number | undefined;
  private variation = 0;

  constructor(
    private readonly initialMs: number,
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  sample(ms: number): void {
    if (this.smoothed === undefined) {
      this.smoothed = ms;
      this.variation = ms / 2;
      return;
    }
    this.variation = 0.75 * this.variation + 0.25 * Math.abs(this.smoothed - ms);
    this.smoothed = 0.875 * this.smoothed + 0.125 * ms;
  }

  timeoutMs(): number {
    if (this.smoothed === undefined) return this.initialMs;
    return Math.min(this.maxMs, Math.max(this.minMs, this.smoothed + 4 * this.variation));
  }

  /** The smoothed round trip, for choosing how long to wait for a banner. */
  smoothedMs(): number | undefined {
    return this.smoothed;
  }
}
