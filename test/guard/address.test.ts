import { isIP } from "node:net";
import { describe, expect, it } from "vitest";
import {
  addressZone,
  banTarget,
  NetworkList,
  networkContains,
  normalizeAddress,
  parseNetwork,
  prefixOf,
} from "../../src/guard/address.js";

describe("addresses", () => {
  it("normalises IPv4, IPv6 and IPv4-mapped IPv6 to one text", () => {
    expect(normalizeAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("::FFFF:c000:0201")).toBe("192.0.2.1");
    expect(normalizeAddress("2001:0DB8:0000:0000:0001:0000:0000:0001")).toBe("2001:db8::1:0:0:1");
    expect(normalizeAddress("2001:db8:0:0:1:0:0:0")).toBe("2001:db8:0:0:1::");
    expect(normalizeAddress("::")).toBe("::");
  });
  it("keeps an IPv6 zone (it names the link: fe80::1 on eth0 and on wlan0 are two hosts)", () => {
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1%eth0");
    expect(normalizeAddress("FE80:0:0::0001%enp3s0")).toBe("fe80::1%enp3s0");
    expect(normalizeAddress("fe80::1%3")).toBe("fe80::1%3");
    expect(addressZone("fe80::1%eth0")).toEqual({ address: "fe80::1", zone: "eth0" });
    expect(addressZone("2001:db8::1")).toEqual({ address: "2001:db8::1", zone: null });
    // an interface name is at most 15 characters, without spaces, quotes or slashes
    for (const text of [
      "fe80::1%",
      "fe80::1%a b",
      'fe80::1%eth0"',
      "fe80::1%0123456789abcdef",
      "fe80::1%a/b",
      "192.0.2.1%eth0",
    ]) {
      expect(normalizeAddress(text)).toBeNull();
    }
    // an IPv4-mapped address is IPv4: no zone
    expect(normalizeAddress("::ffff:192.0.2.1%eth0")).toBe("192.0.2.1");
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
  it("gives the /64 of a global IPv6 address, and none for IPv4, link-local, loopback or multicast", () => {
    expect(prefixOf("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(prefixOf("2001:db8::1")).toBe("2001:db8::/64");
    expect(prefixOf("fd00:1:2:3::9")).toBe("fd00:1:2:3::/64");
    for (const address of ["192.0.2.1", "fe80::1%eth0", "fe80::1", "::1", "ff02::1", "::"]) {
      expect(prefixOf(address)).toBeNull();
    }
  });
  it("reads a ban target: an address (with its zone) or a network, in canonical form", () => {
    expect(banTarget("2001:DB8:1:2::/64")).toBe("2001:db8:1:2::/64");
    expect(banTarget("2001:db8:1:2::99/64")).toBe("2001:db8:1:2::/64");
    expect(banTarget("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(banTarget("192.0.2.1/32")).toBe("192.0.2.1");
    expect(banTarget("fe80::1%eth0")).toBe("fe80::1%eth0");
    expect(banTarget("example.com")).toBeNull();
  });
  it("tells whether a network overlaps any in a list (inside it, or holding it)", () => {
    const list = new NetworkList();
    for (const text of ["2001:db8:7:7::5/128", "2001:db8:100::/48"]) {
      const network = parseNetwork(text);
      if (network) list.add(network, text);
    }
    const overlap = (text: string) => {
      const network = parseNetwork(text);
      return network ? list.overlapping(network) : "unparsed";
    };
    expect(overlap("2001:db8:7:7::/64")).toBe("2001:db8:7:7::5/128");
    expect(overlap("2001:db8:100:5::/64")).toBe("2001:db8:100::/48");
    expect(overlap("2001:db8:7:8::/64")).toBeNull();
    expect(overlap("192.0.2.0/24")).toBeNull();
  });
});

describe("the hand-written address parsers", () => {
  it("accept exactly what net.isIP accepts, on 200,000 random strings and the edge cases", () => {
    const next = (() => {
      let state = 12345;
      return () => {
        state = (state * 1103515245 + 12345) >>> 0;
        return state / 2 ** 32;
      };
    })();
    const alphabet = "0123456789abcdefABCDEF::::....g";
    const edge = [
      "::",
      "::1",
      "1::",
      ":::",
      "1:::2",
      "1::2::3",
      ":1::",
      "1::2:",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8:9",
      "1::2:3:4:5:6:7:8",
      "::2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::",
      "12345::",
      "::ffff:1.2.3.4",
      "::1.2.3.4",
      "1:2:3:4:5:6:1.2.3.4",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::ffff:01.2.3.4",
      "::1.2.3",
      "::1.2.3.4:5",
      "1.2.3.4",
      "01.2.3.4",
      "1.2.3.04",
      "255.255.255.255",
      "256.1.1.1",
      "1..2.3",
      "1.2.3.4.",
      ".1.2.3.4",
      "0.0.0.0",
    ];
    const random = Array.from({ length: 200_000 }, () => {
      let text = "";
      for (let n = 2 + Math.floor(next() * 18); n > 0; n--) text += alphabet[Math.floor(next() * alphabet.length)];
      return text;
    });
    // near-misses: 1–9 groups of 0–5 hex digits, sometimes a "::", sometimes an IPv4 tail (some with a leading 0)
    const shaped = Array.from({ length: 50_000 }, () => {
      const groups = Array.from({ length: 1 + Math.floor(next() * 9) }, () =>
        "0f9A".repeat(2).slice(0, Math.floor(next() * 6)),
      );
      if (next() < 0.5) groups.splice(Math.floor(next() * groups.length), 0, "");
      if (next() < 0.3)
        groups.push(`${Math.floor(next() * 300)}.${Math.floor(next() * 3)}.0${next() < 0.2 ? "1" : ""}.9`);
      return groups.join(":");
    });
    random.push(...shaped);
    expect(shaped.filter((text) => isIP(text) === 6).length).toBeGreaterThan(1000);
    const disagree = [...edge, ...random].filter((text) => (normalizeAddress(text) !== null) !== (isIP(text) !== 0));
    expect(disagree).toEqual([]);
    // and they read the same bytes: the canonical text parses back to itself
    for (const text of [...edge, ...random]) {
      const canonical = normalizeAddress(text);
      if (canonical !== null) expect(normalizeAddress(canonical)).toBe(canonical);
    }
    expect(normalizeAddress("1:2:3:4:5:6:1.2.3.4")).toBe("1:2:3:4:5:6:102:304");
    expect(normalizeAddress("2001:db8:0:0:8:0:0:1")).toBe("2001:db8::8:0:0:1");
  });
});
