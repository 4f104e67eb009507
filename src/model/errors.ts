/** A problem a source met while gathering facts: reported in the report's `errors`. */
export interface SourceError {
  source: "config" | "storage" | "network" | "instance" | "host" | "advisories" | "checks";
  file?: string;
  line?: number;
  message: string;
  /**
   * The audit could not do what it was asked (the main configuration could not be read): its results are
   * incomplete, the report says so in its summary, and the run fails.
   */
  fatal?: true;
}
