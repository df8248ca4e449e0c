import { describe, expect, it } from "vitest";
import { clearCookie, readCookie, setCookie } from "./cookies.ts";

describe("cookies", () => {
  it("are HttpOnly and SameSite=Lax, and Secure only when the policy says so", () => {
    const plain = setCookie({ secure: false }, { name: "a", value: "b", path: "/", maxAgeSeconds: 60 });
    expect(plain).toBe("a=b; Max-Age=60; Path=/; HttpOnly; SameSite=Lax");
    const secure = setCookie({ secure: true }, { name: "a", value: "b", path: "/", maxAgeSeconds: 60 });
    expect(secure).toContain("; Secure");
    expect(clearCookie({ secure: false }, "a", "/")).toContain("Max-Age=0");
  });

  it("reads one cookie of a Cookie header", () => {
    expect(readCookie("x=1; bosun_session=abc; y=2", "bosun_session")).toBe("abc");
    expect(readCookie(undefined, "bosun_session")).toBeUndefined();
    expect(readCookie("x=1", "bosun_session")).toBeUndefined();
  });
});
