import type { Readable } from "node:stream";
import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";

/** Lines piped in (`journalctl -f | hassguard guard --source stdin`, `docker logs -f`). */
export class StreamSource implements GuardPart {
  readonly name = "stdin source";
  readonly #bus: GuardBus;
  readonly #stream: Readable;
  readonly #splitter: LineSplitter;
  readonly #onData = (chunk: Buffer | string) => this.#splitter.push(chunk);
  readonly #onEnd = () => this.#splitter.flush();

  constructor(bus: GuardBus, stream: Readable, label = "stdin") {
    this.#bus = bus;
    this.#stream = stream;
    this.#splitter = new LineSplitter((text) => this.#bus.emit("line", { text, source: label, time: null }));
  }

  async start(): Promise<void> {
    this.#stream.on("data", this.#onData);
    this.#stream.on("end", this.#onEnd);
    this.#stream.on("error", (error) => this.#bus.emit("warning", { message: `stdin: ${error.message}` }));
  }

  async stop(): Promise<void> {
    this.#stream.off("data", this.#onData);
    this.#stream.off("end", this.#onEnd);
    this.#stream.pause();
  }
}
