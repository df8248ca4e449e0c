import { describe, expect, it } from "vitest";
import { createHostPolicy, hostName } from "./host-policy.ts";

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
    for (const host of [undefined, "corp.example", "attacker.example", "10.0.0.6", "bosun.example.com.evil"])
      expect(policy.allowsHost(host), String(host)).toBe(false);
  });

  it("does not allow a wildcard bind address as a name", () => {
    expect(createHostPolicy({ bindHost: "0.0.0.0" }).allowsHost("0.0.0.0")).toBe(false);
  });

  it("allows a missing Origin and http(s) origins on allowed names only", () => {
    const policy = createHostPolicy({ publicUrl: "https://bosun.example.com" });
    expect(policy.allowsOrigin(undefined)).toBe(true);
    expect(policy.allowsOrigin("https://bosun.example.com")).toBe(true);
    expect(policy.allowsOrigin("http://localhost:5173")).toBe(true);
    expect(policy.allowsOrigin("null")).toBe(false);
    expect(policy.allowsOrigin("chrome-extension://localhost")).toBe(false);
    expect(policy.allowsOrigin("https://attacker.example")).toBe(false);
  });
});
