import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { isNetworkError } from "./kube-errors.ts";
import { createWithRetry, withKubeRetry } from "./kube-retry.ts";

const status = (code: number) => new ApiException(code, `HTTP ${code}`, { message: `status ${code}` }, {});

function failing<T>(errors: unknown[], result: T) {
  let calls = 0;
  return {
    calls: () => calls,
    operation: async () => {
      calls++;
      const error = errors.shift();
      if (error !== undefined) throw error;
      return result;
    },
  };
}

describe("withKubeRetry", () => {
  it("repeats 500, 503 and 504 with doubling delays and returns the eventual answer", async () => {
    const delays: number[] = [];
    const op = failing([status(500), status(503), status(504)], "ok");
    await expect(
      withKubeRetry(op.operation, { sleep: async (ms) => void delays.push(ms), initialDelayMs: 100 }),
    ).resolves.toBe("ok");
    expect(op.calls()).toBe(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it("does not repeat other errors, and gives up after its attempts", async () => {
    const notFound = failing([status(404)], "ok");
    await expect(withKubeRetry(notFound.operation, { sleep: async () => {} })).rejects.toMatchObject({
      code: 404,
    });
    expect(notFound.calls()).toBe(1);
    const down = failing([status(503), status(503), status(503)], "ok");
    await expect(withKubeRetry(down.operation, { attempts: 3, sleep: async () => {} })).rejects.toMatchObject(
      { code: 503 },
    );
    expect(down.calls()).toBe(3);
  });

  it("repeats connections cut before an answer", async () => {
    const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    expect(isNetworkError(reset)).toBe(true);
    expect(isNetworkError(status(503))).toBe(false);
    const op = failing([reset], "ok");
    await expect(withKubeRetry(op.operation, { sleep: async () => {} })).resolves.toBe("ok");
  });
});

describe("createWithRetry", () => {
  it("counts a 409 on a repeated create as created (the first attempt went through unheard)", async () => {
    const op = failing([status(504), status(409)], { metadata: { name: "job" } });
    await expect(createWithRetry(op.operation, { sleep: async () => {} })).resolves.toEqual({
      created: true,
      object: null,
      alreadyExisted: true,
    });
  });

  it("throws a 409 on the first attempt: the object existed before", async () => {
    const op = failing([status(409)], {});
    await expect(createWithRetry(op.operation, { sleep: async () => {} })).rejects.toMatchObject({
      code: 409,
    });
  });
});
