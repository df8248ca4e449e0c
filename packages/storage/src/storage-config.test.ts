import { describe, expect, it } from "vitest";
import { parseOutageToleranceMs, parseStorageConfig, StorageConfigError } from "./storage-config.ts";

describe("parseStorageConfig", () => {
  it("means the embedded server when the section is absent", () => {
    expect(parseStorageConfig(undefined)).toEqual({ kind: "embedded" });
    expect(parseStorageConfig(null)).toEqual({ kind: "embedded" });
  });

  it("accepts a URL", () => {
    expect(parseStorageConfig({ postgres: { url: "postgresql://u@db:5433/bosun?sslmode=require" } })).toEqual(
      {
        kind: "url",
        url: "postgresql://u@db:5433/bosun?sslmode=require",
      },
    );
  });

  it("accepts fields and fills in the port and password variable defaults", () => {
    expect(
      parseStorageConfig({
        postgres: {
          host: "db",
          username: "bosun",
          database: "bosun",
          params: { sslmode: "require", connect_timeout: 5 },
        },
      }),
    ).toEqual({
      kind: "fields",
      host: "db",
      port: 5432,
      username: "bosun",
      database: "bosun",
      passwordEnv: "BOSUN_PG_PASSWORD",
      params: { sslmode: "require", connect_timeout: "5" },
    });
  });

  it("names the path and the nearest valid key for a misspelt key", () => {
    const parse = () => parseStorageConfig({ postgres: { hots: "db", username: "u", database: "d" } });
    expect(parse).toThrow(StorageConfigError);
    expect(parse).toThrow(/storage\.postgres\.hots: unknown key \(did you mean "host"\?\)/);
    expect(() => parseStorageConfig({ postgre: { url: "postgres://x" } })).toThrow(
      /storage\.postgre: unknown key \(did you mean "postgres"\?\)/,
    );
    expect(() => parseStorageConfig({ postgres: { url: "postgres://x", passwrd_env: "X" } })).toThrow(
      /storage\.postgres\.passwrd_env: unknown key \(did you mean "password_env"\?\)/,
    );
  });

  it("says what was expected for a wrong type or a missing field", () => {
    expect(() =>
      parseStorageConfig({ postgres: { host: "db", port: "5432", username: "u", database: "d" } }),
    ).toThrow(/storage\.postgres\.port: expected number/);
    expect(() => parseStorageConfig({ postgres: { host: "db", username: "u" } })).toThrow(
      /storage\.postgres\.database: required \(or give url instead\)/,
    );
    expect(() => parseStorageConfig({ postgres: { url: "mysql://x" } })).toThrow(
      /storage\.postgres\.url: .*postgres:\/\//,
    );
    expect(() => parseStorageConfig({ postgres: { url: "postgres://x", host: "db" } })).toThrow(
      /storage\.postgres\.host: not allowed together with url/,
    );
    expect(() =>
      parseStorageConfig({ postgres: { host: "db", username: "u", database: "d", password_env: "1-bad" } }),
    ).toThrow(/storage\.postgres\.password_env: .*environment variable name/);
  });
});

describe("parseOutageToleranceMs (storage.outage_tolerance_seconds)", () => {
  it("defaults to 120 s and reads whole seconds, with or without a postgres section", () => {
    expect(parseOutageToleranceMs(undefined)).toBe(120_000);
    expect(parseOutageToleranceMs({ outage_tolerance_seconds: 300 })).toBe(300_000);
    expect(
      parseOutageToleranceMs({ outage_tolerance_seconds: 5, postgres: { url: "postgres://u@db/bosun" } }),
    ).toBe(5_000);
    expect(parseStorageConfig({ outage_tolerance_seconds: 5 })).toEqual({ kind: "embedded" });
  });

  it("refuses a value that is not a whole number of seconds between 1 and 86400, naming the field", () => {
    const problem = (value: unknown) => {
      try {
        parseOutageToleranceMs({ outage_tolerance_seconds: value });
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(StorageConfigError);
        return (error as StorageConfigError).problems;
      }
    };
    expect(problem(0)).toEqual(["storage.outage_tolerance_seconds: at least 1 (second)"]);
    expect(problem(1.5)).toEqual(["storage.outage_tolerance_seconds: a whole number of seconds"]);
    expect(problem(100_000)).toEqual(["storage.outage_tolerance_seconds: at most 86400 (one day)"]);
    expect(problem("60")).toEqual(["storage.outage_tolerance_seconds: expected number"]);
  });

  it("suggests the nearest key for a misspelt one", () => {
    expect(() => parseOutageToleranceMs({ outage_tolerance_second: 60 })).toThrow(
      'storage.outage_tolerance_second: unknown key (did you mean "outage_tolerance_seconds"?)',
    );
  });
});
