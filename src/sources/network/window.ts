/**
 * How many connects to keep in flight. A connect scan is limited either by the path (each answer takes a
 * round trip: more in flight, more answers per second) or by this machine (every connect and close is a
 * system call: more in flight only adds queueing). Which one holds is measured, not guessed. The rate at
 * which attempts end (answers, and timeouts behind a firewall that drops) is tracked at the current window,
 * smoothed since a busy machine makes single intervals noisy; now and then the window is doubled for one
 * interval and kept doubled only if that raised the rate by a clear margin. While doubling pays off it goes
 * on doubling, so a 20 ms path reaches thousands in flight within a fraction of a second, while loopback
 * stays near where it started. Losses that turn out to be congestion halve it (connect-scan.ts decides).
 */
export class WindowController {
  private minRttMs = Number.POSITIVE_INFINITY;
  private intervalStart: number;
  private intervalAnswers = 0;
  private current: number;
  /** The window we settle on, and its smoothed answer rate (answers per ms). */
  private settled: number;
  private baseline = 0;
  private probing = false;
  private intervalsSinceProbe = 0;
  private lastBackOff = Number.NEGATIVE_INFINITY;

  constructor(
    initial: number,
    private readonly min: number,
    private readonly max: number,
    now: number,
    /** Shortest interval over which the answer rate is measured. */
    private readonly minIntervalMs = 50,
    /** Settled intervals between two probes upward. */
    private readonly probeEvery = 3,
  ) {
    this.current = Math.min(max, Math.max(min, initial));
    this.settled = this.current;
    this.intervalStart = now;
  }

  window(): number {
    return this.current;
  }

  shortestRttMs(): number | undefined {
    return Number.isFinite(this.minRttMs) ? this.minRttMs : undefined;
  }

  answered(latencyMs: number, now: number): void {
    this.minRttMs = Math.min(this.minRttMs, Math.max(0.01, latencyMs));
    this.resolved(now);
  }

  /**
   * An attempt ended without an answer (timed out). It still counts as progress: behind a firewall that
   * drops everything, timeouts are all there is, and more in flight means more of them per second.
   */
  resolved(now: number): void {
    this.intervalAnswers++;
    const elapsed = now - this.intervalStart;
    // an interval spans a few round trips, so a new window has shown its effect by its end
    if (elapsed < this.intervalMs()) return;
    this.update(this.intervalAnswers / elapsed);
    this.intervalStart = now;
    this.intervalAnswers = 0;
  }

  /**
   * A probe lost and then answered on retry, or the machine ran out of sockets: halve the window, at most
   * once per measuring interval (one burst of losses is one congestion event, as in TCP), and measure
   * afresh from there.
   */
  congested(now: number = performance.now()): void {
    if (now - this.lastBackOff < this.intervalMs()) return;
    this.lastBackOff = now;
    this.current = Math.max(this.min, Math.floor(this.current / 2));
    this.settled = this.current;
    this.baseline = 0;
    this.probing = false;
    this.intervalsSinceProbe = 0;
  }

  /** A few round trips (so a new window has shown its effect), and never less than the floor. */
  private intervalMs(): number {
    return Number.isFinite(this.minRttMs) ? Math.max(this.minIntervalMs, 3 * this.minRttMs) : this.minIntervalMs;
  }

  private update(rate: number): void {
    if (this.probing) {
      this.probing = false;
      if (rate > this.baseline * 1.15) {
        // more in flight paid off: settle here and try twice as many at once
        this.settled = this.current;
        this.baseline = rate;
        this.startProbe();
        return;
      }
      this.current = this.settled;
      this.intervalsSinceProbe = 0;
      return;
    }
    this.baseline = this.baseline === 0 ? rate : 0.7 * this.baseline + 0.3 * rate;
    this.intervalsSinceProbe++;
    // the first interval (at start-up, or after a back-off) probes at once; later ones only now and then
    if (this.intervalsSinceProbe === 1 && this.settled === this.current && this.baseline === rate) this.startProbe();
    else if (this.intervalsSinceProbe >= this.probeEvery) this.startProbe();
  }

  private startProbe(): void {
    if (this.settled >= this.max) return;
    this.current = Math.min(this.max, this.settled * 2);
    this.probing = true;
    this.intervalsSinceProbe = 0;
  }
}
