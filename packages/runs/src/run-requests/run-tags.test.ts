import { describe, expect, it } from "vitest";
import { runTags } from "./run-tags.ts";

describe("runTags", () => {
  it("lets request tags override job tags, and Bosun's tags override both", () => {
    expect(
      runTags({
        jobTags: { team: "data", owner: "ana", "bosun/partition": "from-job" },
        requestTags: { owner: "bo", "bosun/partition": "from-request" },
        systemTags: { "bosun/partition": "eu" },
      }),
    ).toEqual({ team: "data", owner: "bo", "bosun/partition": "eu" });
  });

  it("stores structured job tag values as JSON text", () => {
    expect(runTags({ jobTags: { "bosun-k8s/config": { cpu: "500m" }, retries: 2 } })).toEqual({
      "bosun-k8s/config": '{"cpu":"500m"}',
      retries: "2",
    });
  });
});
