import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InstanceConfigError, openInstance, parseInstanceConfig, readInstanceConfig } from "./instance.ts";

const homes: string[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) await rm(home, { recursive: true, force: true });
});

async function homeWith(yaml: string): Promise<string> {
  const home = await mkdtemp(path.join(tmpdir(), "bosun-instance-config-"));
  homes.push(home);
  await writeFile(path.join(home, "bosun.yaml"), yaml);
  return home;
}

describe("bosun.yaml top-level keys", () => {
  it("accepts compute_logs and retention next to the other sections", async () => {
    const home = await homeWith(
      "compute_logs:\n  enabled: false\nretention:\n  runs:\n    purge_after_days: 30\nscheduler:\n  enabled: true\n",
    );
    expect(readInstanceConfig(home).raw).toEqual({
      compute_logs: { enabled: false },
      retention: { runs: { purge_after_days: 30 } },
      scheduler: { enabled: true },
    });
  });

  it("refuses a misspelt section with the nearest valid one", async () => {
    const read = async (yaml: string) => {
      try {
        readInstanceConfig(await homeWith(yaml));
      } catch (error) {
        if (error instanceof InstanceConfigError) return error.message;
        throw error;
      }
      throw new Error("expected the file to be refused");
    };
    expect(await read("compute_log:\n  enabled: false\n")).toMatch(
      /bosun\.yaml: compute_log: unknown key \(did you mean "compute_logs"\?\)$/,
    );
    expect(await read("retension:\n  enabled: false\n")).toMatch(
      /bosun\.yaml: retension: unknown key \(did you mean "retention"\?\)$/,
    );
  });

  it("refuses a bad compute_logs or retention value before opening storage, naming the file and field", async () => {
    // The storage section points nowhere: the config error must come first.
    const storage = "storage:\n  postgres:\n    url: postgres://nobody@127.0.0.1:1/none\n";
    const logs = await homeWith(`${storage}compute_logs:\n  flush_interval_seconds: -2\n`);
    await expect(openInstance({ home: logs })).rejects.toThrow(
      /bosun\.yaml: invalid instance config:\n {2}- compute_logs\.flush_interval_seconds: flush_interval_seconds must be a positive number of seconds/,
    );
    const retention = await homeWith(
      `${storage}retention:\n  sensor:\n    purge_after_days: {skipped: -3}\n`,
    );
    await expect(openInstance({ home: retention })).rejects.toThrow(
      /retention\.sensor\.purge_after_days\.skipped: skipped must be -1 \(keep forever\) or a number of days above 0/,
    );
  });
});

describe("parseInstanceConfig", () => {
  it("validates every section of bosun.yaml text and gives the k8s launcher's config", () => {
    const parsed = parseInstanceConfig(
      "run_launcher:\n  k8s:\n    image: acme/app:1\n",
      "rendered bosun.yaml",
    );
    expect(parsed.daemon.runLauncher).toEqual({ kind: "k8s", config: { image: "acme/app:1" } });
  });

  it("names the file, the key and the nearest valid key, at the top level and inside a section", () => {
    expect(() => parseInstanceConfig("schedulr: {}\n", "a.yaml")).toThrow(
      'a.yaml: schedulr: unknown key (did you mean "scheduler"?)',
    );
    expect(() => parseInstanceConfig("scheduler:\n  max_catchup_run: 2\n", "b.yaml")).toThrow(
      /^b\.yaml: [\s\S]*scheduler\.max_catchup_run: unknown key \(did you mean "max_catchup_runs"\?\)/,
    );
  });
});
