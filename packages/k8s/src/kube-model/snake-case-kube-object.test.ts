import { describe, expect, it } from "vitest";
import { snakeCaseKubeObject } from "./snake-case-kube-object.ts";

describe("snakeCaseKubeObject", () => {
  it("renames Kubernetes fields at every depth and leaves map keys as written", () => {
    expect(
      snakeCaseKubeObject("V1PodSpec", {
        nodeSelector: { "kubernetes.io/os": "linux", diskType: "ssd" },
        imagePullSecrets: [{ name: "registry" }],
        securityContext: { runAsUser: 1000 },
        initContainers: [
          { name: "init", image: "busybox", volumeMounts: [{ name: "data", mountPath: "/data" }] },
        ],
      }),
    ).toEqual({
      node_selector: { "kubernetes.io/os": "linux", diskType: "ssd" },
      image_pull_secrets: [{ name: "registry" }],
      security_context: { run_as_user: 1000 },
      init_containers: [
        { name: "init", image: "busybox", volume_mounts: [{ name: "data", mount_path: "/data" }] },
      ],
    });
  });

  it("keeps annotation keys that look like field names", () => {
    expect(
      snakeCaseKubeObject("V1ObjectMeta", { annotations: { mountPath: "x" }, generateName: "a-" }),
    ).toEqual({
      annotations: { mountPath: "x" },
      generate_name: "a-",
    });
  });
});
