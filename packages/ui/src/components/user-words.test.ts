import { describe, expect, it } from "vitest";
import { isInternalJobName, userWords } from "./user-words.ts";

describe("userWords", () => {
  it("says what an asset materialization's internal job is instead of naming it", () => {
    expect(userWords('Started execution of run for "__asset_job".')).toBe(
      "Started execution of run materializing the selected assets.",
    );
    expect(
      userWords(
        'job "__asset_job" selects assets with different partitions ("a" and "b"); materialize them in separate runs',
      ),
    ).toBe(
      'the selection has assets with different partitions ("a" and "b"); materialize them in separate runs',
    );
    expect(userWords('job "__asset_job" of run 1234 is no longer in code location "x"')).toBe(
      'the asset materialization of run 1234 is no longer in code location "x"',
    );
  });

  it("drops command-line hints and names bare flags in the UI's words", () => {
    expect(userWords('job "__asset_job" is partitioned: choose a partition (--partition <key>)')).toBe(
      "these assets are partitioned: choose a partition",
    );
    expect(userWords('job "etl" is partitioned: choose a partition (--partition <key>)')).toBe(
      'job "etl" is partitioned: choose a partition',
    );
    expect(userWords("the webserver runs with --read-only")).toBe("the webserver runs with read-only mode");
    expect(userWords("set --max-workers <n> higher")).toBe("set the max workers option higher");
  });

  it("leaves a message without internal names or flags alone", () => {
    const message = "could not read table orders: connection refused -- retry later";
    expect(userWords(message)).toBe(message);
  });

  it("knows internal job names by their leading underscores", () => {
    expect(isInternalJobName("__asset_job")).toBe(true);
    expect(isInternalJobName("nightly_export")).toBe(false);
  });
});
