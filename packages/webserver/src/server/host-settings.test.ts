import { describe, expect, it } from "vitest";
import { ALLOWED_HOSTS_ENV, PUBLIC_URL_ENV, parseHostSettings } from "./host-settings.ts";

describe("host settings", () => {
  it("reads the public URL and a comma-separated host list from the environment when not given", () => {
    expect(
      parseHostSettings(
        {},
        {
          [PUBLIC_URL_ENV]: "https://bosun.example.com",
          [ALLOWED_HOSTS_ENV]: " a.example, *.corp.example ,",
        },
      ),
    ).toEqual({ publicUrl: "https://bosun.example.com", allowedHosts: ["a.example", "*.corp.example"] });
  });

  it("prefers explicit options over the environment", () => {
    expect(parseHostSettings({ allowedHosts: ["x.example"] }, { [ALLOWED_HOSTS_ENV]: "y.example" })).toEqual({
      allowedHosts: ["x.example"],
    });
  });

  it("refuses a public URL that is not http(s) and a host with a scheme or port, naming the setting", () => {
    expect(() => parseHostSettings({ publicUrl: "bosun.example.com" }, {})).toThrow(
      /public URL .* must be an http\(s\) URL/,
    );
    expect(() => parseHostSettings({}, { [ALLOWED_HOSTS_ENV]: "https://a.example:443" })).toThrow(
      new RegExp(`allowed host \\(${ALLOWED_HOSTS_ENV}\\)`),
    );
  });
});
