/** What the running instance answered over HTTP and WebSocket. Owned by src/sources/instance. */
export interface InstanceFacts {
  url: string;
}
