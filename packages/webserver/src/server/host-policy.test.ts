import { describe, expect, it } from "vitest";
import { createHostPolicy, hostName, isLoopbackBindAddress } from "./host-policy.ts";

describe("host policy", () => {
  it("reads the name of a Host header, dropping the port and case, and refuses malformed ones", () => {
    expect(hostName("Example.COM:3000")).toBe("example.com");
    expect(hostName("[::1]:3000")).toBe("[::1]");
    expect(hostName("127.1")).toBe("127.0.0.1");
    expect(hostName("a.example/evil")).toBeNull();
    expect(hostName("user@a.example")).toBeNull();
    expect(hostName("")).toBeNull();
  });

  it("allows loopback names, the bound address, the public URL's host and *.suffix patterns", () => {
    const policy = createHostPolicy({
      publicUrl: "https://bosun.example.com/ui",
      allowedHosts: ["*.corp.example", "Bosun.Internal"],
      bindHost: "10.0.0.5",
    });
    for (const host of [
      "localhost:3000",
      "x.localhost",
      "127.0.0.1",
      "[::1]",
      "10.0.0.5:3000",
      "bosun.example.com",
      "a.corp.example",
      "bosun.internal",
    ])
      expect(policy.allowsHost(host), host).toBe(true);
    for (const host of [
      undefined,
      "corp.example",
      "attacker.example",
      "bosun.example.com.evil",
      "10.0.0.6.nip.io",
    ])
      expect(policy.allowsHost(host), String(host)).toBe(false);
  });

  it("allows any IP address as Host: DNS rebinding needs a name (the pod IP a kubelet or a peer uses)", () => {
    const policy = createHostPolicy({ bindHost: "0.0.0.0" });
    for (const host of ["10.0.0.6:3000", "192.168.1.20", "[fd00::1]:3000", "[::ffff:10.0.0.1]"])
      expect(policy.allowsHost(host), host).toBe(true);
  });

  it("allows a missing Origin and http(s) origins on allowed names only", () => {
    const policy = createHostPolicy({ publicUrl: "https://bosun.example.com" });
    const host = "bosun.example.com";
    expect(policy.allowsOrigin(undefined, host)).toBe(true);
    expect(policy.allowsOrigin("https://bosun.example.com", host)).toBe(true);
    expect(policy.allowsOrigin("http://localhost:5173", host)).toBe(true);
    expect(policy.allowsOrigin("null", host)).toBe(false);
    expect(policy.allowsOrigin("chrome-extension://localhost", host)).toBe(false);
    expect(policy.allowsOrigin("https://attacker.example", host)).toBe(false);
  });

  it("allows an IP origin only for a page on that same IP (the UI opened by address), not another", () => {
    const policy = createHostPolicy({});
    expect(policy.allowsOrigin("http://10.0.0.5:3000", "10.0.0.5:3000")).toBe(true);
    expect(policy.allowsOrigin("http://10.0.0.99", "10.0.0.5:3000")).toBe(false);
    expect(policy.allowsOrigin("http://attacker.example", "attacker.example")).toBe(false);
  });

  it("tells loopback bind addresses from ones other machines can reach", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
      expect(isLoopbackBindAddress(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "bosun.example.com", "", "::ffff:10.0.0.1"])
      expect(isLoopbackBindAddress(host), host).toBe(false);
  });
});
