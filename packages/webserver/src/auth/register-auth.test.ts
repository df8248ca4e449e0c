import { AUTH_DISABLED } from "@bosun/instance";
import type { BosunStorage } from "@bosun/storage";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { RouteWithoutAccessError, registerAuth } from "./register-auth.ts";

describe("registerAuth", () => {
  it("refuses to register an API route the route table does not list", async () => {
    const app = Fastify();
    await registerAuth(app, {
      settings: AUTH_DISABLED,
      storage: {} as BosunStorage,
      now: () => new Date(),
      sessions: false,
    });
    expect(() => app.get("/api/new-thing", async () => ({}))).toThrow(RouteWithoutAccessError);
    expect(() => app.get("/api/new-thing", async () => ({}))).toThrow(/GET \/api\/new-thing/);
    // Sign-in routes are in the table too (public by design there, never by omission).
    expect(() => app.get("/auth/new-thing", async () => ({}))).toThrow(RouteWithoutAccessError);
    // Routes outside the API (the UI's files) need no entry.
    expect(() => app.get("/assets/app.js", async () => "")).not.toThrow();
    await app.close();
  });
});
