import { randomUUID } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { apiVersionOf, type ResourceType, resourceTypeFor } from "../resources/resource-types.ts";
import { clone, type KObject, now } from "../store/k8s-object.ts";
import { type ObjectStore, resourceKey } from "../store/object-store.ts";
import {
  type FieldRequirement,
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
} from "../store/selectors.ts";
import { isPlainObject } from "../validation/model-schema.ts";
import { validateObject } from "../validation/validate.ts";
import { ApiError } from "./api-error.ts";
import { Defaulter, randomSuffix } from "./defaults.ts";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch.ts";
import { serverSideApply } from "./server-side-apply.ts";

/**
 * The API server's object logic, shared by the HTTP handlers and the in-process controllers:
 * defaulting, validation, admission (namespace exists, service account), optimistic
 * concurrency, patches, and deletion with finalizers and propagation policies.
 */
export type PatchType = "json" | "merge" | "strategic" | "apply";
export type PropagationPolicy = "Foreground" | "Background" | "Orphan";

export interface WriteOptions {
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly force?: boolean;
}

export interface DeleteOptions {
  readonly propagationPolicy?: PropagationPolicy;
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { uid?: string; resourceVersion?: string };
  readonly dryRun?: boolean;
}

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
}

export interface ListResult {
  readonly items: KObject[];
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/** Extension points used by the kubelet and controllers. */
export interface RegistryHooks {
  /** Called before a pod is created, after defaults; may throw ApiError to refuse it. */
  admitPod?(pod: KObject): void;
}

export class Registry {
  readonly defaulter = new Defaulter();
  /** Server-side apply field sets: object uid → manager → applied fields. */
  private readonly applied = new Map<string, Map<string, Set<string>>>();
  private readonly hooks: RegistryHooks[] = [];

  constructor(readonly store: ObjectStore) {}

  addHooks(hooks: RegistryHooks): void {
    this.hooks.push(hooks);
  }

  type(apiVersion: string, kind: string): ResourceType {
    const type = resourceTypeFor(apiVersion, kind);
    if (!type) throw ApiError.notFound("", "kinds", `${apiVersion}/${kind}`);
    return type;
  }

  private withTypeMeta(type: ResourceType, object: KObject): KObject {
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    return object;
  }

  private ensureNamespace(type: ResourceType, namespace: string | undefined, forCreate: boolean): void {
    if (!type.namespaced) return;
    if (!namespace)
      throw ApiError.badRequest("the server could not find the requested resource: namespace is required");
    const nsType = this.type("v1", "Namespace");
    const ns = this.store.peek(nsType, undefined, namespace);
    if (!ns) throw ApiError.notFound("", "namespaces", namespace);
    if (forCreate && ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `${type.plural} "${"<new>"}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { kind: type.plural },
      );
    }
  }

  private validate(type: ResourceType, object: KObject): void {
    const issues = validateObject(object);
    if (issues.length > 0)
      throw ApiError.invalid(
        type.group,
        type.kind,
        object.metadata?.name ?? object.metadata?.generateName ?? "",
        issues,
      );
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KObject {
    const object = this.store.get(type, namespace, name);
    if (!object) throw ApiError.notFound(type.group, type.plural, name);
    return this.withTypeMeta(type, object);
  }

  tryGet(type: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const object = this.store.get(type, namespace, name);
    return object ? this.withTypeMeta(type, object) : undefined;
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    const labels: Requirement[] = options.labelSelector ? parseLabelSelector(options.labelSelector) : [];
    const fields: FieldRequirement[] = options.fieldSelector
      ? parseFieldSelector(options.fieldSelector, type.kind)
      : [];
    const matches = this.store
      .scan(type, namespace)
      .filter((o) => matchesRequirements(o.metadata.labels, labels) && matchesFields(o, fields))
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    let start = 0;
    let resourceVersion = String(this.store.currentRevision);
    if (options.continue) {
      const token = decodeContinue(options.continue);
      start = matches.findIndex((o) => keyOf(o) > token.after);
      if (start < 0) start = matches.length;
      resourceVersion = token.rv;
    }
    const limit = options.limit && options.limit > 0 ? options.limit : matches.length;
    const page = matches.slice(start, start + limit);
    const remaining = matches.length - start - page.length;
    // Shallow copies: list results are serialised straight away and never mutated.
    const items = page.map((o) => ({ ...o, apiVersion: apiVersionOf(type), kind: type.kind }) as KObject);
    if (remaining > 0) {
      const last = page[page.length - 1]!;
      return {
        items,
        resourceVersion,
        continue: encodeContinue(keyOf(last), resourceVersion),
        remainingItemCount: remaining,
      };
    }
    return { items, resourceVersion };
  }

  /** Creates an object; the body's namespace must match the URL's when both are given. */
  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): KObject {
    if (!isPlainObject(body)) throw ApiError.badRequest("the request body must be a JSON object");
    const object = clone(body) as KObject;
    object.apiVersion ??= apiVersionOf(type);
    object.kind ??= type.kind;
    this.checkTypeMeta(type, object);
    object.metadata ??= {};
    if (type.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace)
        throw ApiError.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      object.metadata.namespace = namespace ?? object.metadata.namespace;
    }
    for (const field of [
      "uid",
      "resourceVersion",
      "creationTimestamp",
      "deletionTimestamp",
      "generation",
      "selfLink",
    ])
      delete object.metadata[field];
    this.validate(type, object);
    this.ensureNamespace(type, object.metadata.namespace, true);
    if (!object.metadata.name) object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    object.metadata.uid = randomUUID();
    object.metadata.creationTimestamp = now();
    if (object.spec !== undefined || type.subresources.includes("status")) object.metadata.generation = 1;
    if (type.subresources.includes("status")) delete object.status;
    this.defaulter.apply(type, object, true);
    if (type.kind === "Pod") this.admitPod(object);
    for (const hook of this.hooks) if (type.kind === "Pod") hook.admitPod?.(object);
    if (this.store.peek(type, object.metadata.namespace, object.metadata.name)) {
      throw ApiError.alreadyExists(type.group, type.plural, object.metadata.name);
    }
    if (options.dryRun) return this.withTypeMeta(type, object);
    const stored = this.store.insert(type, object);
    if (type.kind === "Namespace") this.onNamespaceCreated(stored);
    return this.withTypeMeta(type, stored);
  }

  private checkTypeMeta(type: ResourceType, object: KObject): void {
    if (object.apiVersion !== apiVersionOf(type) || object.kind !== type.kind) {
      throw ApiError.badRequest(
        `the API version in the data (${object.apiVersion}) and kind (${object.kind}) do not match the endpoint ${apiVersionOf(type)} ${type.plural}`,
      );
    }
  }

  /** Pod admission: the service account must exist; its token is mounted unless opted out. */
  private admitPod(pod: KObject): void {
    const spec = pod.spec as Record<string, any>;
    const saName = spec.serviceAccountName as string;
    const saType = this.type("v1", "ServiceAccount");
    const sa = this.store.peek(saType, pod.metadata.namespace, saName);
    if (!sa) {
      throw ApiError.forbidden(
        `pods "${pod.metadata.name}" is forbidden: error looking up service account ${pod.metadata.namespace}/${saName}: serviceaccount "${saName}" not found`,
      );
    }
    const automount =
      spec.automountServiceAccountToken ?? (sa as Record<string, any>).automountServiceAccountToken ?? true;
    const already = (spec.volumes ?? []).some((v: any) => String(v.name).startsWith("kube-api-access-"));
    if (!automount || already) return;
    const volumeName = `kube-api-access-${randomSuffix()}`;
    spec.volumes = [
      ...(spec.volumes ?? []),
      {
        name: volumeName,
        projected: {
          defaultMode: 0o644,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            {
              downwardAPI: {
                items: [
                  { path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } },
                ],
              },
            },
          ],
        },
      },
    ];
    for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      container.volumeMounts ??= [];
      const mounts = container.volumeMounts;
      if (!mounts.some((m: any) => m.mountPath === "/var/run/secrets/kubernetes.io/serviceaccount"))
        mounts.push({
          name: volumeName,
          mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
          readOnly: true,
        });
    }
  }

  /** A new namespace gets its `default` service account and root CA config map, as from their controllers. */
  private onNamespaceCreated(namespace: KObject): void {
    const name = namespace.metadata.name!;
    const saType = this.type("v1", "ServiceAccount");
    if (!this.store.peek(saType, name, "default"))
      this.create(saType, name, { metadata: { name: "default" } });
    const cmType = this.type("v1", "ConfigMap");
    if (!this.store.peek(cmType, name, "kube-root-ca.crt"))
      this.create(cmType, name, {
        metadata: {
          name: "kube-root-ca.crt",
          annotations: { "kubernetes.io/description": "kube-sim serves plain HTTP; this CA bundle is empty" },
        },
        data: { "ca.crt": "" },
      });
  }

  /**
   * Replaces an object (PUT). A non-empty `metadata.resourceVersion` must match the stored one.
   * `subresource` "status" replaces only the status.
   */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    subresource?: string,
    options: WriteOptions = {},
  ): KObject {
    if (!isPlainObject(body)) throw ApiError.badRequest("the request body must be a JSON object");
    const current = this.store.peek(type, namespace, name);
    const object = clone(body) as KObject;
    object.apiVersion ??= apiVersionOf(type);
    object.kind ??= type.kind;
    this.checkTypeMeta(type, object);
    object.metadata ??= {};
    if (object.metadata.name && object.metadata.name !== name)
      throw ApiError.badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
      );
    object.metadata.name = name;
    if (type.namespaced) object.metadata.namespace = namespace;
    if (!current) {
      if (subresource) throw ApiError.notFound(type.group, type.plural, name);
      // PUT on a missing object creates it for the kinds that allow create-on-update; refuse otherwise.
      throw ApiError.notFound(type.group, type.plural, name);
    }
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) {
      throw ApiError.conflict(
        type.group,
        type.plural,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    return this.commit(type, current, object, subresource, options);
  }

  /** Writes `next` over `current` after the update rules; shared by update and patch. */
  private commit(
    type: ResourceType,
    current: KObject,
    next: KObject,
    subresource: string | undefined,
    options: WriteOptions,
  ): KObject {
    const previous = clone(current);
    let object: KObject;
    if (subresource === "status") {
      object = clone(previous);
      object.status = next.status;
    } else {
      object = next;
      const meta = object.metadata;
      meta.uid = previous.metadata.uid;
      meta.creationTimestamp = previous.metadata.creationTimestamp;
      meta.deletionTimestamp = previous.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = previous.metadata.deletionGracePeriodSeconds;
      if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
      if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
      delete meta.generation;
      if (type.subresources.includes("status")) object.status = previous.status;
      this.validate(type, object);
      this.defaulter.apply(type, object, false);
      this.checkImmutable(type, previous, object);
      const changed = JSON.stringify(strip(previous)) !== JSON.stringify(strip(object));
      const generation = previous.metadata.generation;
      if (generation !== undefined) object.metadata.generation = changed ? generation + 1 : generation;
    }
    delete object.metadata.resourceVersion;
    object.metadata.resourceVersion = previous.metadata.resourceVersion;
    if (options.dryRun) return this.withTypeMeta(type, object);
    if (JSON.stringify(object) === JSON.stringify(previous)) return this.withTypeMeta(type, clone(previous));
    if (
      object.metadata.deletionTimestamp &&
      (object.metadata.finalizers ?? []).length === 0 &&
      !isGracefulPod(type, object)
    ) {
      return this.withTypeMeta(type, this.remove(type, object));
    }
    return this.withTypeMeta(type, this.store.replace(type, object));
  }

  private checkImmutable(type: ResourceType, previous: KObject, next: KObject): void {
    const issues: { path: string; a: unknown; b: unknown }[] = [];
    const p = previous as Record<string, any>;
    const n = next as Record<string, any>;
    if (type.kind === "Job") {
      const strip = (t: any) => {
        const c = structuredClone(t ?? {});
        return c;
      };
      issues.push({ path: "spec.template", a: strip(p.spec?.template), b: strip(n.spec?.template) });
      issues.push({ path: "spec.selector", a: p.spec?.selector, b: n.spec?.selector });
      issues.push({ path: "spec.completions", a: p.spec?.completions, b: n.spec?.completions });
    }
    if (type.kind === "Deployment" || type.kind === "ReplicaSet" || type.kind === "StatefulSet")
      issues.push({ path: "spec.selector", a: p.spec?.selector, b: n.spec?.selector });
    if (
      type.kind === "Service" &&
      p.spec?.clusterIP !== undefined &&
      n.spec?.clusterIP !== undefined &&
      n.spec.clusterIP !== ""
    )
      issues.push({ path: "spec.clusterIP", a: p.spec.clusterIP, b: n.spec.clusterIP });
    if (type.kind === "Service" && (n.spec?.clusterIP === undefined || n.spec.clusterIP === "") && n.spec) {
      n.spec.clusterIP = p.spec?.clusterIP;
      n.spec.clusterIPs = p.spec?.clusterIPs;
    }
    if (type.kind === "Pod") {
      const podSpec = (s: any) => {
        const c = structuredClone(s ?? {});
        for (const ctr of [...(c.containers ?? []), ...(c.initContainers ?? [])]) delete ctr.image;
        delete c.activeDeadlineSeconds;
        delete c.tolerations;
        delete c.nodeName;
        return c;
      };
      issues.push({ path: "spec", a: podSpec(p.spec), b: podSpec(n.spec) });
    }
    const broken = issues.filter((i) => JSON.stringify(i.a) !== JSON.stringify(i.b));
    if (broken.length > 0) {
      throw ApiError.invalid(
        type.group,
        type.kind,
        next.metadata.name!,
        broken.map((i) => ({
          path: i.path,
          reason: "FieldValueInvalid" as const,
          message: "Invalid value: field is immutable",
        })),
      );
    }
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: string,
    subresource?: string,
    options: WriteOptions = {},
  ): KObject {
    const current = this.store.peek(type, namespace, name);
    if (patchType === "apply") return this.apply(type, namespace, name, body, current, subresource, options);
    if (!current) throw ApiError.notFound(type.group, type.plural, name);
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (error) {
      throw ApiError.badRequest(`error decoding patch: ${(error as Error).message}`);
    }
    const base = this.withTypeMeta(type, clone(current));
    let next: unknown;
    if (patchType === "json") next = jsonPatch(base, patch);
    else if (patchType === "merge") next = mergePatch(base, patch);
    else next = strategicMergePatch(base, patch, type.model);
    if (!isPlainObject(next)) throw ApiError.badRequest("patch produced a non-object");
    const object = next as KObject;
    object.metadata ??= {};
    if (object.metadata.name !== name)
      throw ApiError.badRequest("metadata.name may not be changed by a patch");
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion)
      throw ApiError.conflict(
        type.group,
        type.plural,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    return this.commit(type, current, object, subresource, options);
  }

  private apply(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: string,
    current: KObject | undefined,
    subresource: string | undefined,
    options: WriteOptions,
  ): KObject {
    const manager = options.fieldManager;
    if (!manager)
      throw ApiError.badRequest(
        "PATCH request is missing the fieldManager query parameter, required for apply requests",
      );
    let config: unknown;
    try {
      config = parseYaml(body);
    } catch (error) {
      throw ApiError.badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
    if (!isPlainObject(config)) throw ApiError.badRequest("apply configuration must be an object");
    const object = config as KObject;
    object.metadata ??= {};
    if (object.metadata.name && object.metadata.name !== name)
      throw ApiError.badRequest("the name of the object does not match the name on the URL");
    object.metadata.name = name;
    if (!current) {
      if (subresource) throw ApiError.notFound(type.group, type.plural, name);
      const created = this.create(type, namespace, object, options);
      if (!options.dryRun) this.applied.set(created.metadata.uid!, new Map([[manager, new Set()]]));
      const owned = this.applied.get(created.metadata.uid!);
      if (owned) serverSideApply({}, object as Record<string, unknown>, type.model, manager, owned);
      return created;
    }
    const uid = current.metadata.uid!;
    const owned = this.applied.get(uid) ?? new Map<string, Set<string>>();
    const trial = new Map([...owned].map(([k, v]) => [k, new Set(v)]));
    const base = this.withTypeMeta(type, clone(current)) as Record<string, unknown>;
    const merged = serverSideApply(
      base,
      object as Record<string, unknown>,
      type.model,
      manager,
      trial,
    ) as KObject;
    const result = this.commit(type, current, merged, subresource, options);
    if (!options.dryRun) this.applied.set(uid, trial);
    return result;
  }

  /**
   * Deletes an object. Objects with finalizers, foreground deletions and running pods get a
   * `deletionTimestamp` first and go away once their finalizers are cleared or the kubelet has
   * stopped the pod; dependents are handled by the garbage collector.
   */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KObject {
    const current = this.store.peek(type, namespace, name);
    if (!current) throw ApiError.notFound(type.group, type.plural, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid)
      throw ApiError.conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
      throw ApiError.conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    const object = clone(current);
    if (options.dryRun) return this.withTypeMeta(type, object);
    const policy = options.propagationPolicy ?? defaultPolicy(type);
    const finalizers = new Set(object.metadata.finalizers ?? []);
    if (policy === "Foreground") finalizers.add("foregroundDeletion");
    if (policy === "Orphan") finalizers.add("orphan");
    if (type.kind === "Namespace") {
      if (!object.metadata.deletionTimestamp) {
        object.metadata.deletionTimestamp = now();
        (object as Record<string, any>).status = { ...(object.status ?? {}), phase: "Terminating" };
        return this.withTypeMeta(type, this.store.replace(type, object));
      }
      return this.withTypeMeta(type, object);
    }
    const gracefulPod =
      type.kind === "Pod" && isRunningOnNode(object) && (options.gracePeriodSeconds ?? 1) > 0;
    if (finalizers.size > 0 || gracefulPod) {
      if (object.metadata.deletionTimestamp) {
        if (type.kind === "Pod" && options.gracePeriodSeconds === 0 && finalizers.size === 0)
          return this.withTypeMeta(type, this.remove(type, object));
        return this.withTypeMeta(type, object);
      }
      const grace =
        type.kind === "Pod"
          ? (options.gracePeriodSeconds ??
            (object.spec?.terminationGracePeriodSeconds as number | undefined) ??
            30)
          : 0;
      object.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000)
        .toISOString()
        .replace(/\.\d+Z$/, "Z");
      object.metadata.deletionGracePeriodSeconds = grace;
      object.metadata.finalizers = [...finalizers];
      if (object.metadata.generation !== undefined) object.metadata.generation++;
      return this.withTypeMeta(type, this.store.replace(type, object));
    }
    return this.withTypeMeta(type, this.remove(type, object));
  }

  /** Removes the object from storage now (finalizers are cleared). */
  private remove(type: ResourceType, object: KObject): KObject {
    const removed = this.store.remove(type, object.metadata.namespace, object.metadata.name!);
    this.applied.delete(object.metadata.uid!);
    if (type.kind === "Service")
      this.defaulter.releaseClusterIP((object.spec as Record<string, any> | undefined)?.clusterIP);
    return removed;
  }

  /** Removes a finalizer (used by the garbage collector and namespace controller). */
  removeFinalizer(type: ResourceType, namespace: string | undefined, name: string, finalizer: string): void {
    const current = this.store.peek(type, namespace, name);
    if (!current) return;
    const object = clone(current);
    object.metadata.finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (object.metadata.finalizers.length === 0) delete object.metadata.finalizers;
    if (object.metadata.deletionTimestamp && !object.metadata.finalizers && !isGracefulPod(type, object))
      this.remove(type, object);
    else this.store.replace(type, object);
  }

  /** Removes an object regardless of grace (used by the kubelet once a pod's processes are gone). */
  finalizeDeletion(type: ResourceType, namespace: string | undefined, name: string): void {
    const current = this.store.peek(type, namespace, name);
    if (!current) return;
    if ((current.metadata.finalizers ?? []).length > 0) return;
    this.remove(type, clone(current));
  }

  deleteCollection(
    type: ResourceType,
    namespace: string | undefined,
    list: ListOptions,
    options: DeleteOptions,
  ): KObject[] {
    const { items } = this.list(type, namespace, {
      labelSelector: list.labelSelector,
      fieldSelector: list.fieldSelector,
    });
    const out: KObject[] = [];
    for (const item of items) {
      try {
        out.push(this.delete(type, item.metadata.namespace, item.metadata.name!, options));
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    return out;
  }

  /** Completes a namespace's termination once the namespace controller has emptied it. */
  finishNamespace(name: string): void {
    const nsType = this.type("v1", "Namespace");
    const current = this.store.peek(nsType, undefined, name);
    if (current?.metadata.deletionTimestamp) this.remove(nsType, clone(current));
  }

  resourceKeyOf(type: ResourceType): string {
    return resourceKey(type);
  }
}

function strip(object: KObject): unknown {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function isRunningOnNode(pod: KObject): boolean {
  const phase = (pod.status as Record<string, any> | undefined)?.phase;
  return (
    Boolean((pod.spec as Record<string, any> | undefined)?.nodeName) &&
    phase !== "Succeeded" &&
    phase !== "Failed"
  );
}

function isGracefulPod(type: ResourceType, object: KObject): boolean {
  return type.kind === "Pod" && isRunningOnNode(object);
}

/** batch/v1 Jobs orphan their pods unless asked otherwise, as on a real API server. */
function defaultPolicy(type: ResourceType): PropagationPolicy {
  return type.kind === "Job" ? "Orphan" : "Background";
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

function encodeContinue(after: string, rv: string): string {
  return Buffer.from(JSON.stringify({ after, rv })).toString("base64url");
}

function decodeContinue(token: string): { after: string; rv: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      after: string;
      rv: string;
    };
    if (typeof parsed.after !== "string") throw new Error("bad token");
    return parsed;
  } catch {
    throw ApiError.badRequest("continue key is not valid");
  }
}
