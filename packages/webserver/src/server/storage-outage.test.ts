import { StorageUnavailableError } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import { storageOutage } from "./storage-outage.ts";

const TARGET = "db:5432/bosun";

describe("storage outage", () => {
  it("turns a refused connection into 503 STORAGE_UNAVAILABLE naming where", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" });
    const apiError = storageOutage(refused, TARGET);
    expect(apiError?.statusCode).toBe(503);
    expect(apiError?.code).toBe("STORAGE_UNAVAILABLE");
    expect(apiError?.message).toContain(`cannot reach PostgreSQL at ${TARGET}: connection refused`);
  });

  it("recognises the server shutting down a session (57P01) or crashing (57P02), as during a restart", () => {
    for (const code of ["57P01", "57P02", "57P03"]) {
      const error = Object.assign(new Error("terminating connection due to administrator command"), { code });
      expect(storageOutage(error, TARGET)?.code, code).toBe("STORAGE_UNAVAILABLE");
    }
  });

  it("finds a connection error in the cause chain and keeps a StorageUnavailableError's words", () => {
    const wrapped = new Error("query failed", { cause: new Error("Connection terminated unexpectedly") });
    expect(storageOutage(wrapped, TARGET)?.code).toBe("STORAGE_UNAVAILABLE");
    const unavailable = new StorageUnavailableError(TARGET, "host not found");
    expect(storageOutage(unavailable, TARGET)?.message).toContain("host not found");
  });

  it("leaves other failures alone (a bug in a query is not an outage)", () => {
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: "42601" });
    expect(storageOutage(syntax, TARGET)).toBeNull();
    expect(storageOutage(new TypeError("x is undefined"), TARGET)).toBeNull();
  });
});
