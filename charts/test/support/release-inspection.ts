/**
 * Installing a release on kube-sim and looking at it: its pods by component, readiness, the code location
 * as the webserver sees it, and diagnostics (pods, events, logs of pods that are not well) for failure messages.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type * as k8s from "@kubernetes/client-node";
import YAML from "yaml";
import { type ChartCluster, CODE_IMAGE, fetchInCluster, REPO_ROOT, waitFor } from "./kube-sim-release.ts";
import { BOSUN_CHART } from "./render.ts";

/** Probe timings that make pods Ready within seconds. */
export const FAST_PROBE = { periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 3 };

/** One `bosun-user-deployments` entry serving the quickstart example from this checkout. */
export function exampleCodeDeployment(name: string): Record<string, unknown> {
  return {
    name,
    image: CODE_IMAGE,
    codeServerArgs: ["-f", path.join(REPO_ROOT, "examples", "quickstart", "definitions.ts")],
    port: 4000,
    readinessProbe: { enabled: true, ...FAST_PROBE },
  };
}

/** `helm install --wait` of the bosun chart with `values`; a failure carries the namespace's diagnostics. */
export async function installRelease(
  cluster: ChartCluster,
  release: string,
  values: Record<string, unknown>,
): Promise<void> {
  const file = path.join(cluster.sim.workDir, `${release}-values.yaml`);
  await writeFile(file, YAML.stringify(values));
  const args = [
    "install",
    release,
    BOSUN_CHART,
    "-n",
    cluster.namespace,
    "-f",
    file,
    "--wait",
    "--timeout",
    "110s",
  ];
  await cluster.helm(args).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await diagnostics(cluster)}`);
  });
}

export const isReady = (pod: k8s.V1Pod) =>
  pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** The release's live pods of one `app.kubernetes.io/component`. */
export async function podsOf(
  cluster: ChartCluster,
  release: string,
  component: string,
): Promise<k8s.V1Pod[]> {
  const list = await cluster.core.listNamespacedPod({
    namespace: cluster.namespace,
    labelSelector: `app.kubernetes.io/instance=${release},app.kubernetes.io/component=${component}`,
  });
  return list.items.filter((pod) => !pod.metadata?.deletionTimestamp);
}

/** Live code-server pods of the namespace. */
export async function userCodePods(cluster: ChartCluster): Promise<k8s.V1Pod[]> {
  const list = await cluster.core.listNamespacedPod({ namespace: cluster.namespace });
  return list.items.filter(
    (pod) => !pod.metadata?.deletionTimestamp && pod.spec?.containers.some((c) => c.name === "code-server"),
  );
}

/**
 * Waits until the webserver lists `location` as LOADED (it validates launches with the code server). The
 * daemon may still see the server as unreachable until its next poll: a run queued then waits for it.
 */
export async function waitForLoadedLocation(
  cluster: ChartCluster,
  release: string,
  location: string,
  token: string,
) {
  await waitFor("the webserver to list the code location as LOADED", async () => {
    const { body } = await fetchInCluster(cluster, `http://${release}-webserver/api/locations`, { token });
    const status = (body as { locations?: { name: string; status: string }[] }).locations?.find(
      (l) => l.name === location,
    )?.status;
    return status === "LOADED" ? status : undefined;
  });
}

/**
 * The bootstrap admin token the chart generated into `<release>-bootstrap-token` (key `token`), as an
 * operator reads it with kubectl.
 */
export async function bootstrapToken(cluster: ChartCluster, release: string): Promise<string> {
  const secret = await cluster.core.readNamespacedSecret({
    name: `${release}-bootstrap-token`,
    namespace: cluster.namespace,
  });
  const encoded = secret.data?.token;
  if (!encoded) throw new Error(`the Secret ${release}-bootstrap-token has no key "token"`);
  return Buffer.from(encoded, "base64").toString("utf8");
}

/** Pods and events of the namespace, and the last log lines of every pod that is not running Ready or done. */
export async function diagnostics(cluster: ChartCluster): Promise<string> {
  const lines = [
    await cluster
      .kubectl(["get", "pods,events", "-n", cluster.namespace, "-o", "wide"])
      .catch((error: Error) => error.message),
  ];
  const pods = await cluster.core.listNamespacedPod({ namespace: cluster.namespace });
  for (const pod of pods.items) {
    if (pod.status?.phase === "Succeeded" || (pod.status?.phase === "Running" && isReady(pod))) continue;
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      const name = pod.metadata?.name ?? "";
      const log = await cluster.core
        .readNamespacedPodLog({ name, namespace: cluster.namespace, container: c.name, tailLines: 30 })
        .catch((error: Error) => error.message);
      lines.push(`--- ${name}/${c.name}\n${log}`);
    }
  }
  return lines.join("\n");
}
