import { describe, expect, it } from "vitest";
import { describeRetryPolicy, parseRetryPolicy } from "./retry-policy.ts";

describe("describeRetryPolicy", () => {
  it("says how many retries, how far apart, and how the wait grows", () => {
    expect(describeRetryPolicy({ maxRetries: 2, delayMs: 500, backoff: "exponential" })).toBe(
      "up to 2 retries, 500 ms apart, exponential backoff (each wait twice the last)",
    );
    expect(describeRetryPolicy({ maxRetries: 1, delayMs: 200 })).toBe("up to 1 retry, 200 ms apart");
    expect(describeRetryPolicy({ maxRetries: 3, delayMs: 90_000, backoff: "linear", jitter: "full" })).toBe(
      "up to 3 retries, 1.5 min apart, linear backoff (the nth wait is n times the first), random jitter (each wait anywhere from 0 to its full length)",
    );
  });

  it("says when retries come at once, and when there are none", () => {
    expect(describeRetryPolicy({ maxRetries: 4 })).toBe("up to 4 retries, at once");
    expect(describeRetryPolicy({ maxRetries: 0, delayMs: 100 })).toBe("no retries");
  });
});

describe("parseRetryPolicy", () => {
  it("reads a published policy and refuses JSON it does not understand", () => {
    expect(parseRetryPolicy({ maxRetries: 2, delayMs: 200, backoff: "exponential" })).toEqual({
      maxRetries: 2,
      delayMs: 200,
      backoff: "exponential",
    });
    expect(parseRetryPolicy({ maxRetries: 2, backoff: "fibonacci" })).toBeNull();
    expect(parseRetryPolicy({ retries: 2 })).toBeNull();
    expect(parseRetryPolicy(null)).toBeNull();
  });
});
