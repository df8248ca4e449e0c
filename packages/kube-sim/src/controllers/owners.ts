import type { KObject } from "../store/k8s-object.ts";

export function controllerOf(object: KObject): string | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

export function ownerReference(owner: KObject): NonNullable<KObject["metadata"]["ownerReferences"]>[number] {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export const podKey = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

export function isPodReady(pod: KObject): boolean {
  return Boolean(
    (pod.status?.conditions as { type: string; status: string }[] | undefined)?.some(
      (c) => c.type === "Ready" && c.status === "True",
    ),
  );
}

export function isTerminal(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}
