import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";

/** A kubeconfig for one cluster, user and context named `kube-sim`. */
export function kubeconfigYaml(server: string, token: string, namespace = "default"): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node refuses plain HTTP unless TLS verification is marked as skipped.
    clusters: [{ name: "kube-sim", cluster: { server, "insecure-skip-tls-verify": true } }],
    users: [{ name: "kube-sim", user: { token } }],
    contexts: [{ name: "kube-sim", context: { cluster: "kube-sim", user: "kube-sim", namespace } }],
    "current-context": "kube-sim",
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, server: string, token: string): Promise<void> {
  await writeFile(path, kubeconfigYaml(server, token), { mode: 0o600 });
}
