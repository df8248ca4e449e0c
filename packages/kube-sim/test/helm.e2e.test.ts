import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { KubeSim } from "../src/index.ts";
import { clients, createNamespace, runTool, startTestSim, tools, uniqueName, waitFor } from "./support.ts";

// Pods are real processes; leave room for a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const CHART = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "hello-chart");
let sim: KubeSim;
let helm: string;

beforeAll(async () => {
  [sim, { helm }] = await Promise.all([startTestSim(), tools()]);
});

afterAll(async () => {
  await sim?.stop();
});

describe("kube-sim through the real helm", () => {
  it("installs, upgrades (rolling the pod on a config checksum change) and uninstalls a chart", async () => {
    const ns = uniqueName("helm");
    await createNamespace(sim, ns);
    const api = clients(sim);
    const h = (...args: string[]) => runTool(helm, [...args, "--namespace", ns], sim);
    const livePods = async () =>
      (
        await api.core.listNamespacedPod({ namespace: ns, labelSelector: "app.kubernetes.io/instance=demo" })
      ).items.filter((p) => !p.metadata?.deletionTimestamp);

    const install = await h("install", "demo", CHART, "--wait", "--timeout", "60s");
    // The only complaint is kube-sim saying loudly that it does not enforce the chart's RBAC.
    const complaints = install.stderr.split("\n").filter((line) => line.trim() !== "");
    expect(complaints.length).toBeGreaterThan(0);
    for (const line of complaints)
      expect(line).toContain("Warning: kube-sim stores RBAC objects but does not enforce them");
    expect(install.stdout).toContain("STATUS: deployed");
    const first = await livePods();
    expect(first).toHaveLength(1);
    expect(first[0]!.status?.phase).toBe("Running");
    const releases = await api.core.listNamespacedSecret({ namespace: ns, labelSelector: "owner=helm" });
    expect(releases.items.map((s) => s.metadata?.name)).toEqual(["sh.helm.release.v1.demo.v1"]);

    const upgrade = await h(
      "upgrade",
      "demo",
      CHART,
      "--set",
      "greeting=bonjour",
      "--wait",
      "--timeout",
      "60s",
    );
    expect(upgrade.stdout).toContain("REVISION: 2");
    const cm = await api.core.readNamespacedConfigMap({ name: "demo-config", namespace: ns });
    expect(cm.data?.greeting).toBe("bonjour");
    const second = await waitFor("old pod replaced", async () => {
      const pods = await livePods();
      return pods.length === 1 && pods[0]!.metadata!.name !== first[0]!.metadata!.name ? pods : undefined;
    });
    expect(second[0]!.metadata?.annotations?.["checksum/config"]).not.toBe(
      first[0]!.metadata?.annotations?.["checksum/config"],
    );

    const uninstall = await h("uninstall", "demo", "--wait");
    expect(uninstall.stdout).toContain('release "demo" uninstalled');
    await waitFor("pods gone", async () => ((await livePods()).length === 0 ? true : undefined));
    const left = await api.core.listNamespacedConfigMap({
      namespace: ns,
      labelSelector: "app.kubernetes.io/instance=demo",
    });
    expect(left.items).toEqual([]);
    expect(
      (await api.core.listNamespacedSecret({ namespace: ns, labelSelector: "owner=helm" })).items,
    ).toEqual([]);
  });
});
