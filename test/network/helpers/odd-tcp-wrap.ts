/**
 * Preloaded (`--import`) before a scan to stand in for a Node whose `tcp_wrap` binding is not what
 * tcp-connect.ts expects, as a future release may make it. `ODD_TCP_WRAP=missing`: there is no
 * `process.binding`. `ODD_TCP_WRAP=shifted`: the binding is there, in the right shape, but every connect
 * reaches the port after the one asked for, so it answers wrongly. Either way the scan must fall back to
 * net.Socket and still find the right ports.
 */
type Binding = (name: string) => unknown;
type Connect = (this: unknown, req: unknown, address: string, port: number) => number;
interface TcpWrap {
  TCP: { prototype: { connect: Connect; connect6: Connect } };
}

const holder = process as unknown as { binding?: Binding };
const original = holder.binding;
if (process.env.ODD_TCP_WRAP === "missing") {
  delete holder.binding;
} else if (process.env.ODD_TCP_WRAP === "shifted" && original !== undefined) {
  holder.binding = function binding(name: string) {
    const real = original.call(process, name);
    if (name !== "tcp_wrap") return real;
    const { TCP } = real as TcpWrap;
    class ShiftedTcp extends (TCP as unknown as new (type: number) => object) {}
    const proto = ShiftedTcp.prototype as unknown as TcpWrap["TCP"]["prototype"];
    proto.connect = function (req, address, port) {
      return TCP.prototype.connect.call(this, req, address, port + 1);
    };
    proto.connect6 = function (req, address, port) {
      return TCP.prototype.connect6.call(this, req, address, port + 1);
    };
    return { ...(real as object), TCP: ShiftedTcp };
  };
}
