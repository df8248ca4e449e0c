import { describe, expect, it } from "vitest";
import { parseInstanceConfig } from "./instance.ts";
import { parseQueueSettings } from "./queues-config.ts";

describe("the queues section of bosun.yaml", () => {
  it("defaults to the PostgreSQL backend with no queues", () => {
    expect(parseQueueSettings({})).toEqual({
      backend: "postgresql",
      redis: null,
      leaseMs: 30_000,
      definitions: {},
    });
  });

  it("reads each queue's width, rate limit and no-worker timeout beside the backend settings", () => {
    const settings = parseQueueSettings({
      queues: {
        backend: "redis",
        redis: { url: "redis://redis.internal:6380/2", password_env: "REDIS_PASSWORD" },
        warehouse: { width: 2, rate_limit: { max: 10, per_seconds: 0.5 } },
        default: {},
      },
    });
    expect(settings.redis).toEqual({ url: "redis://redis.internal:6380/2", passwordEnv: "REDIS_PASSWORD" });
    expect(settings.definitions).toEqual({
      warehouse: { width: 2, rateLimit: { max: 10, perMs: 500 }, noWorkerTimeoutMs: 600_000 },
      default: { width: null, rateLimit: null, noWorkerTimeoutMs: 600_000 },
    });
  });

  it("rejects a non-integer width with its path", () => {
    expect(() => parseInstanceConfig("queues:\n  warehouse:\n    width: 1.5\n", "bosun.yaml")).toThrow(
      "queues.warehouse.width: expected integer",
    );
  });

  it("names the nearest key of a misspelt queue setting and of a misspelt top-level setting", () => {
    expect(() => parseQueueSettings({ queues: { warehouse: { widht: 2 } } })).toThrow(
      'queues.warehouse.widht: unknown key (did you mean "width"?)',
    );
    expect(() => parseQueueSettings({ queues: { backnd: "redis" } })).toThrow(
      'queues.backnd: expected a queue definition { width, rate_limit, no_worker_timeout_seconds } (did you mean "backend"?)',
    );
  });

  it("refuses a password inside the Redis URL and a Redis backend without a URL", () => {
    expect(() =>
      parseQueueSettings({ queues: { backend: "redis", redis: { url: "redis://:secret@host:6379" } } }),
    ).toThrow("queues.redis.url: url must be redis://host:port[/db] (no password in it)");
    expect(() => parseQueueSettings({ queues: { backend: "redis" } })).toThrow(
      "backend: redis needs redis.url",
    );
  });
});
