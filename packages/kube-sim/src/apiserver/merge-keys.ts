import { modelFields } from "../validation/model-schema.ts";

/**
 * Strategic-merge metadata (`patchStrategy`/`patchMergeKey` in the Kubernetes Go types) for the
 * lists kubectl and helm patch. The client-node models do not carry it, so it is listed here;
 * lists not named are atomic (replaced whole), as in Kubernetes.
 */
const MERGE_KEYS: Record<string, string> = {
  "V1ObjectMeta.ownerReferences": "uid",
  "V1PodSpec.containers": "name",
  "V1PodSpec.initContainers": "name",
  "V1PodSpec.ephemeralContainers": "name",
  "V1PodSpec.volumes": "name",
  "V1PodSpec.imagePullSecrets": "name",
  "V1PodSpec.hostAliases": "ip",
  "V1PodSpec.topologySpreadConstraints": "topologyKey",
  "V1PodSpec.resourceClaims": "name",
  "V1PodSpec.schedulingGates": "name",
  "V1Container.env": "name",
  "V1Container.ports": "containerPort",
  "V1Container.volumeMounts": "mountPath",
  "V1Container.volumeDevices": "devicePath",
  "V1EphemeralContainer.env": "name",
  "V1EphemeralContainer.ports": "containerPort",
  "V1EphemeralContainer.volumeMounts": "mountPath",
  "V1ServiceSpec.ports": "port",
  "V1ServiceAccount.secrets": "name",
  "V1PodStatus.conditions": "type",
  "V1DeploymentStatus.conditions": "type",
  "V1ReplicaSetStatus.conditions": "type",
  "V1StatefulSetStatus.conditions": "type",
  "V1JobStatus.conditions": "type",
  "V1NamespaceStatus.conditions": "type",
  "V1NodeStatus.conditions": "type",
  "V1NodeStatus.addresses": "type",
};

/** Primitive lists merged as sets. */
const SET_LISTS = new Set(["V1ObjectMeta.finalizers"]);

/** Describes how a field behaves under strategic merge, given the model that contains it. */
export interface FieldStrategy {
  /** Model of the field's value (or of its list items), if it is a model class. */
  readonly model: string | undefined;
  readonly list: "merge" | "set" | "atomic" | undefined;
  readonly mergeKey: string | undefined;
  /** True for `{ [key: string]: X }` maps, whose values share one type. */
  readonly map: boolean;
}

export function fieldStrategy(model: string | undefined, field: string): FieldStrategy {
  const attribute = model ? modelFields(model)?.get(field) : undefined;
  if (!attribute) return { model: undefined, list: undefined, mergeKey: undefined, map: false };
  const key = `${model}.${attribute.name}`;
  const arrayMatch = /^Array<(.+)>$/.exec(attribute.type);
  const mapMatch = /^\{ \[key: string\]: (.+); \}$/.exec(attribute.type);
  const inner = arrayMatch?.[1] ?? mapMatch?.[1] ?? attribute.type;
  const innerModel = modelFields(inner) ? inner : undefined;
  if (arrayMatch) {
    const mergeKey = MERGE_KEYS[key];
    return {
      model: innerModel,
      list: mergeKey ? "merge" : SET_LISTS.has(key) ? "set" : "atomic",
      mergeKey,
      map: false,
    };
  }
  return { model: innerModel, list: undefined, mergeKey: undefined, map: Boolean(mapMatch) };
}
