import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-policy.ts";

describe("retryDelayMs", () => {
  it("keeps a fixed delay without backoff", () => {
    expect([1, 2, 3].map((n) => retryDelayMs({ maxRetries: 3, delayMs: 100 }, n))).toEqual([100, 100, 100]);
  });
  it("doubles with exponential backoff and grows by the retry number with linear backoff", () => {
    expect(
      [1, 2, 3].map((n) => retryDelayMs({ maxRetries: 3, delayMs: 100, backoff: "exponential" }, n)),
    ).toEqual([100, 200, 400]);
    expect([1, 2, 3].map((n) => retryDelayMs({ maxRetries: 3, delayMs: 100, backoff: "linear" }, n))).toEqual(
      [100, 200, 300],
    );
  });
  it("applies full and plus-minus jitter from the given random source", () => {
    expect(retryDelayMs({ maxRetries: 1, delayMs: 100, jitter: "full" }, 1, () => 0.25)).toBe(25);
    expect(retryDelayMs({ maxRetries: 1, delayMs: 100, jitter: "plusMinus" }, 1, () => 0)).toBe(50);
    expect(retryDelayMs({ maxRetries: 1, delayMs: 100, jitter: "plusMinus" }, 1, () => 0.99)).toBe(149);
  });
});
