import { clone, type KObject, type ObjectMeta } from "../store/k8s-object.ts";

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

/**
 * Pod `name` built from `owner.spec.template` and controlled by `owner`, as the ReplicaSet and Job
 * controllers create them (the template is copied, so the owner's stored object is not shared).
 */
export function podFromTemplate(owner: KObject, name: string): KObject {
  const template = clone(owner.spec?.template ?? {}) as { metadata?: ObjectMeta; spec?: KObject["spec"] };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(template.metadata ?? {}),
      name,
      namespace: owner.metadata.namespace,
      ownerReferences: [ownerReference(owner)],
    },
    spec: template.spec,
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
