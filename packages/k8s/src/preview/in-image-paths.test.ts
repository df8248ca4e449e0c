import type { V1Job } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { inImagePaths } from "./in-image-paths.ts";

function jobWith(container: Record<string, unknown>, volumes: readonly Record<string, unknown>[]): V1Job {
  return {
    spec: { template: { spec: { containers: [{ name: "bosun", ...container }], volumes } } },
  } as unknown as V1Job;
}

describe("inImagePaths", () => {
  it("lists the code file, working directory, BOSUN_HOME, the instance config and every mounted volume with its source", () => {
    const job = jobWith(
      {
        args: ["api", "execute-run", "r1", "-f", "definitions.ts"],
        workingDir: "/app",
        env: [{ name: "BOSUN_HOME", value: "/opt/bosun/bosun_home" }],
        volumeMounts: [
          { name: "data", mountPath: "/data", readOnly: true },
          {
            name: "bosun-instance-config",
            mountPath: "/opt/bosun/bosun_home/bosun.yaml",
            subPath: "bosun.yaml",
          },
        ],
      },
      [
        { name: "data", persistentVolumeClaim: { claimName: "warehouse" } },
        { name: "bosun-instance-config", configMap: { name: "release-instance" } },
      ],
    );
    expect(inImagePaths(job)).toEqual([
      { what: "code location file", path: "/app/definitions.ts", source: "-f of the worker's command line" },
      { what: "working directory", path: "/app", source: "container workingDir" },
      { what: "BOSUN_HOME", path: "/opt/bosun/bosun_home", source: "env BOSUN_HOME" },
      { what: "volume data", path: "/data", source: "persistentVolumeClaim warehouse, read-only" },
      {
        what: "instance config",
        path: "/opt/bosun/bosun_home/bosun.yaml",
        source: "configMap release-instance, key bosun.yaml",
      },
    ]);
  });

  it("says a relative code file is resolved from the image's WORKDIR when the container sets none", () => {
    const [file, workingDir] = inImagePaths(jobWith({ args: ["-f", "defs.ts"] }, []));
    expect(file).toEqual({
      what: "code location file",
      path: "defs.ts",
      source: "-f of the worker's command line, relative to the image's WORKDIR",
    });
    expect(workingDir).toEqual({
      what: "working directory",
      path: "(the image's WORKDIR)",
      source: "the image",
    });
  });
});
