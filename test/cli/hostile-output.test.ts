import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/cli.js";
import { makeTree, removeTree } from "../helpers/tree.js";

const ESC = String.fromCharCode(0x1b);
const RLO = "\u202e";

/**
 * The attacks of issue 8 end to end, through the real command line: what a peer sends and what a shared
 * configuration holds reach the report as visible escapes, never as instructions to the terminal.
 */
describe("text from outside, end to end", () => {
  let server: net.Server;
  let port = 0;
  let home: string;

  beforeAll(async () => {
    // answers every request with a Server header that clears the screen and paints a fake score
    server = net.createServer((sock) => {
      sock.on("error", () => {});
      sock.once("data", () =>
        sock.end(
          `HTTP/1.1 200 OK\r\nServer: nginx/1.2${ESC}[2J${ESC}[1;1HScore 100/100\r\n` +
            "Content-Length: 2\r\nConnection: close\r\n\r\nok",
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
    // a secret whose name holds a right-to-left override: the line it is quoted in must not be reordered
    home = makeTree({ "configuration.yaml": `http:\n  api_password: !secret "admin${RLO}drowssap"\n` });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    removeTree(home);
  });

  it("a Server header with terminal escapes: text and Markdown show them escaped, JSON keeps the value", async () => {
    const args = ["scan", "127.0.0.1", "--ports", String(port), "--fail-on", "none"];
    const [text, markdown, json] = await Promise.all([
      runCliAsync([...args, "--format", "text"]),
      runCliAsync([...args, "--format", "markdown"]),
      runCliAsync([...args, "--format", "json"]),
    ]);
    for (const result of [text, markdown, json]) {
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).not.toContain(ESC);
    }
    expect(text.stdout).toContain("nginx/1.2\\x1b[2J\\x1b[1;1HScore 100/100");
    expect(text.stdout.split("\n").filter((line) => line.startsWith("Score"))).toHaveLength(1);
    expect(markdown.stdout).toContain("nginx/1.2\\x1b[2J\\x1b[1;1HScore 100/100");
    const product = JSON.parse(json.stdout).network.hosts[0].ports[0].product;
    expect(product).toBe(`nginx/1.2${ESC}[2J${ESC}[1;1HScore 100/100`);
  });

  it("a right-to-left override in a secret name is shown as \\u202e in every text format", async () => {
    const args = ["audit", home, "--password-budget", "0", "--fail-on", "none"];
    const [text, markdown, json, sarif] = await Promise.all([
      runCliAsync([...args, "--format", "text"]),
      runCliAsync([...args, "--format", "markdown"]),
      runCliAsync([...args, "--format", "json"]),
      runCliAsync([...args, "--format", "sarif"]),
    ]);
    for (const result of [text, markdown, json, sarif]) {
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).not.toContain(RLO);
    }
    expect(text.stdout).toContain("admin\\u202edrowssap");
    expect(markdown.stdout).toContain("admin\\u202edrowssap");
    const messages = JSON.parse(json.stdout).findings.map((f: { message: string }) => f.message);
    expect(messages.some((m: string) => m.includes(`admin${RLO}drowssap`))).toBe(true);
  });
});
