/** A problem a source met while gathering facts: reported in the report's `errors`, never fatal. */
export interface SourceError {
  source: "config" | "storage" | "network" | "instance" | "host" | "checks";
  file?: string;
  line?: number;
  message: string;
}
