import { describe, expect, it } from "vitest";
import { networkContains, normalizeAddress, parseNetwork } from "../../src/guard/address.js";

describe("addresses", () => {
  it("normalises IPv4, IPv6 and IPv4-mapped IPv6 to one text", () => {
    expect(normalizeAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("::FFFF:c000:0201")).toBe("192.0.2.1");
    expect(normalizeAddress("2001:0DB8:0000:0000:0001:0000:0000:0001")).toBe("2001:db8::1:0:0:1");
    expect(normalizeAddress("2001:db8:0:0:1:0:0:0")).toBe("2001:db8:0:0:1::");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("::")).toBe("::");
  });
  it("refuses what is not an address", () => {
    for (const text of ["", "1.2.3", "1.2.3.256", "01.2.3.4x", "2001:db8::1::2", "localhost", "1.2.3.4/24"]) {
      expect(normalizeAddress(text)).toBeNull();
    }
  });
  it("matches CIDR networks, IPv4-mapped included", () => {
    const net = parseNetwork("192.168.1.10/24");
    expect(net?.text).toBe("192.168.1.0/24");
    expect(net && networkContains(net, "192.168.1.200")).toBe(true);
    expect(net && networkContains(net, "::ffff:192.168.1.200")).toBe(true);
    expect(net && networkContains(net, "192.168.2.1")).toBe(false);
    const v6 = parseNetwork("2001:db8::/32");
    expect(v6 && networkContains(v6, "2001:db8:ffff::1")).toBe(true);
    expect(v6 && networkContains(v6, "2001:db9::1")).toBe(false);
    expect(v6 && networkContains(v6, "192.0.2.1")).toBe(false);
    const odd = parseNetwork("10.0.0.0/9");
    expect(odd && networkContains(odd, "10.127.255.255")).toBe(true);
    expect(odd && networkContains(odd, "10.128.0.0")).toBe(false);
    expect(parseNetwork("192.0.2.0/33")).toBeNull();
    expect(parseNetwork("::ffff:192.0.2.0/120")?.text).toBe("192.0.2.0/24");
  });
});
