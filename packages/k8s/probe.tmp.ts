import { startKubeSim } from "@bosun/kube-sim";
import type * as k8s from "@kubernetes/client-node";
import { createKubeClients, ObjectWatch } from "./src/index.ts";

const sim = await startKubeSim({ kubelet: false });
try {
  const clients = createKubeClients({ kind: "kubeconfig", file: sim.kubeconfigPath });
  const before = sim.requestCount();
  const w = new ObjectWatch<k8s.V1Job>({
    clients,
    path: "/apis/batch/v1/namespaces/default/jobs",
    list: () => clients.batch.listNamespacedJob({ namespace: "default" }),
    onChange: (v, o) => console.log(v, o.metadata?.name),
    onError: (e) => console.log("err", String(e)),
  });
  const w2 = new ObjectWatch<k8s.CoreV1Event>({
    clients,
    path: "/api/v1/namespaces/default/events",
    list: () => clients.core.listNamespacedEvent({ namespace: "default", fieldSelector: "type=Warning" }),
    fieldSelector: "type=Warning",
    onChange: (v, o) => console.log(v, o.metadata?.name),
    onError: (e) => console.log("err", String(e)),
  });
  await new Promise((r) => setTimeout(r, 5000));
  console.log("requests in 5s", sim.requestCount() - before, w.requests, w2.requests);
  await w.close();
  await w2.close();
} finally {
  await sim.stop();
}
