import { describe, expect, it } from "vitest";
import { editDistance, nearest } from "./nearest.ts";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("node_selectr", "node_selector")).toBe(1);
  });
});

describe("nearest", () => {
  it("matches across snake_case and camelCase spellings", () => {
    expect(nearest("node_selectr", ["nodeSelector", "nodeName"])).toBe("nodeSelector");
    expect(nearest("VolumeMounts", ["volumeMounts", "volumeDevices"])).toBe("volumeMounts");
  });

  it("returns undefined when nothing is close", () => {
    expect(nearest("zzzzzzzz", ["nodeSelector", "affinity"])).toBeUndefined();
  });
});
