import type { ResourceType } from "../resources/resource-types.ts";
import type { ValidationIssue, ValidationReason } from "./issue.ts";
import { isPlainObject } from "./model-schema.ts";
import {
  configMapKey,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  envVarName,
  ianaServiceName,
  labelValue,
  qualifiedName,
} from "./names.ts";

/**
 * Semantic rules the API server applies on top of the schema: names, labels, required fields and
 * enumerations. Only the rules that matter to the workloads Bosun writes are encoded; each one
 * mirrors the message of the real validation where practical.
 */
type Obj = Record<string, unknown>;

class Collector {
  constructor(readonly issues: ValidationIssue[]) {}
  add(path: string, reason: ValidationReason, message: string): void {
    this.issues.push({ path, reason, message });
  }
  required(path: string, detail = ""): void {
    this.add(path, "FieldValueRequired", `Required value${detail ? `: ${detail}` : ""}`);
  }
  invalid(path: string, value: unknown, problems: string[]): void {
    for (const problem of problems)
      this.add(path, "FieldValueInvalid", `Invalid value: ${JSON.stringify(value)}: ${problem}`);
  }
  notSupported(path: string, value: unknown, allowed: readonly string[]): void {
    this.add(
      path,
      "FieldValueNotSupported",
      `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(", ")}`,
    );
  }
  enumeration(path: string, value: unknown, allowed: readonly string[]): void {
    if (value === undefined || value === null) return;
    if (typeof value === "string" && !allowed.includes(value)) this.notSupported(path, value, allowed);
  }
}

const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function checkName(c: Collector, path: string, name: string, rule: ResourceType["nameRule"]): void {
  const problems =
    rule === "label" ? dns1123Label(name) : rule === "dns1035" ? dns1035Label(name) : dns1123Subdomain(name);
  c.invalid(path, name, problems);
}

function checkLabels(c: Collector, path: string, labels: unknown): void {
  const map = obj(labels);
  if (!map) return;
  for (const [key, value] of Object.entries(map)) {
    c.invalid(path, key, qualifiedName(key));
    if (typeof value === "string") c.invalid(`${path}[${key}]`, value, labelValue(value));
  }
}

function checkAnnotations(c: Collector, path: string, annotations: unknown): void {
  const map = obj(annotations);
  if (!map) return;
  let total = 0;
  for (const [key, value] of Object.entries(map)) {
    c.invalid(path, key, qualifiedName(key.toLowerCase()));
    total += key.length + (typeof value === "string" ? value.length : 0);
  }
  if (total > 256 * 1024) c.add(path, "FieldValueTooLong", "Too long: must have at most 262144 bytes");
}

export function checkObjectMeta(
  c: Collector,
  meta: unknown,
  rule: ResourceType["nameRule"],
  namespaced: boolean,
  path = "metadata",
): void {
  const m = obj(meta);
  if (!m) {
    c.required(path);
    return;
  }
  const name = str(m.name);
  const generateName = str(m.generateName);
  if (name !== undefined && name !== "") checkName(c, `${path}.name`, name, rule);
  else if (generateName) {
    // The generated suffix is five characters; the prefix must leave room for it.
    const sample = `${generateName}abcde`;
    const problems =
      rule === "label"
        ? dns1123Label(sample)
        : rule === "dns1035"
          ? dns1035Label(sample)
          : dns1123Subdomain(sample);
    c.invalid(`${path}.generateName`, generateName, problems);
  } else c.required(`${path}.name`, "name or generateName is required");
  const namespace = str(m.namespace);
  if (namespace !== undefined && namespace !== "") {
    if (!namespaced) c.add(`${path}.namespace`, "FieldValueForbidden", "Forbidden: not allowed on this type");
    else c.invalid(`${path}.namespace`, namespace, dns1123Label(namespace));
  }
  checkLabels(c, `${path}.labels`, m.labels);
  checkAnnotations(c, `${path}.annotations`, m.annotations);
  arr(m.ownerReferences).forEach((ref, i) => {
    const r = obj(ref);
    if (!r) return;
    for (const field of ["apiVersion", "kind", "name", "uid"])
      if (!str(r[field])) c.required(`${path}.ownerReferences[${i}].${field}`);
  });
}

const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const PROTOCOLS = ["TCP", "UDP", "SCTP"];

function checkContainer(
  c: Collector,
  container: Obj,
  path: string,
  volumeNames: Set<string>,
  names: Set<string>,
  isInit: boolean,
): void {
  const name = str(container.name);
  if (!name) c.required(`${path}.name`);
  else {
    c.invalid(`${path}.name`, name, dns1123Label(name));
    if (names.has(name))
      c.add(`${path}.name`, "FieldValueDuplicate", `Duplicate value: ${JSON.stringify(name)}`);
    names.add(name);
  }
  if (!str(container.image)) c.required(`${path}.image`);
  c.enumeration(`${path}.imagePullPolicy`, container.imagePullPolicy, PULL_POLICIES);
  if (isInit) c.enumeration(`${path}.restartPolicy`, container.restartPolicy, ["Always"]);
  const portNames = new Set<string>();
  arr(container.ports).forEach((p, i) => {
    const port = obj(p);
    if (!port) return;
    const pp = `${path}.ports[${i}]`;
    const containerPort = num(port.containerPort);
    if (containerPort === undefined) c.required(`${pp}.containerPort`);
    else if (containerPort < 1 || containerPort > 65535)
      c.invalid(`${pp}.containerPort`, containerPort, ["must be between 1 and 65535, inclusive"]);
    const portName = str(port.name);
    if (portName) {
      c.invalid(`${pp}.name`, portName, ianaServiceName(portName));
      if (portNames.has(portName))
        c.add(`${pp}.name`, "FieldValueDuplicate", `Duplicate value: ${JSON.stringify(portName)}`);
      portNames.add(portName);
    }
    c.enumeration(`${pp}.protocol`, port.protocol, PROTOCOLS);
  });
  arr(container.env).forEach((e, i) => {
    const env = obj(e);
    if (!env) return;
    const ep = `${path}.env[${i}]`;
    const envName = str(env.name);
    if (!envName) c.required(`${ep}.name`);
    else c.invalid(`${ep}.name`, envName, envVarName(envName));
    const from = obj(env.valueFrom);
    if (from) {
      if (env.value !== undefined && env.value !== null && env.value !== "")
        c.invalid(`${ep}.valueFrom`, "", ["may not be specified when `value` is not empty"]);
      const sources = [
        "fieldRef",
        "resourceFieldRef",
        "configMapKeyRef",
        "secretKeyRef",
        "fileKeyRef",
      ].filter((k) => from[k] != null);
      if (sources.length !== 1)
        c.invalid(`${ep}.valueFrom`, "", [
          "must specify exactly one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ]);
      for (const ref of ["configMapKeyRef", "secretKeyRef"]) {
        const r = obj(from[ref]);
        if (!r) continue;
        if (!str(r.key)) c.required(`${ep}.valueFrom.${ref}.key`);
        if (!str(r.name)) c.required(`${ep}.valueFrom.${ref}.name`);
      }
      const fieldRef = obj(from.fieldRef);
      if (fieldRef && !str(fieldRef.fieldPath)) c.required(`${ep}.valueFrom.fieldRef.fieldPath`);
    }
  });
  const mountPaths = new Set<string>();
  arr(container.volumeMounts).forEach((m, i) => {
    const mount = obj(m);
    if (!mount) return;
    const mp = `${path}.volumeMounts[${i}]`;
    const volume = str(mount.name);
    if (!volume) c.required(`${mp}.name`);
    else if (!volumeNames.has(volume))
      c.add(`${mp}.name`, "FieldValueNotFound", `Not found: ${JSON.stringify(volume)}`);
    const mountPath = str(mount.mountPath);
    if (!mountPath) c.required(`${mp}.mountPath`);
    else {
      if (mountPaths.has(mountPath)) c.invalid(`${mp}.mountPath`, mountPath, ["must be unique"]);
      mountPaths.add(mountPath);
    }
  });
  const resources = obj(container.resources);
  if (resources) {
    for (const section of ["limits", "requests"]) {
      const map = obj(resources[section]);
      if (!map) continue;
      for (const key of Object.keys(map))
        c.invalid(`${path}.resources.${section}[${key}]`, key, qualifiedName(key));
    }
  }
}

const VOLUME_SOURCES = [
  "awsElasticBlockStore",
  "azureDisk",
  "azureFile",
  "cephfs",
  "cinder",
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "fc",
  "flexVolume",
  "flocker",
  "gcePersistentDisk",
  "gitRepo",
  "glusterfs",
  "hostPath",
  "image",
  "iscsi",
  "nfs",
  "persistentVolumeClaim",
  "photonPersistentDisk",
  "portworxVolume",
  "projected",
  "quobyte",
  "rbd",
  "scaleIO",
  "secret",
  "storageos",
  "vsphereVolume",
];

/** Rules for a PodSpec wherever it appears (pods and pod templates). */
export function checkPodSpec(
  c: Collector,
  spec: unknown,
  path: string,
  restartPolicies: readonly string[] = RESTART_POLICIES,
): void {
  const s = obj(spec);
  if (!s) {
    c.required(path);
    return;
  }
  const volumeNames = new Set<string>();
  arr(s.volumes).forEach((v, i) => {
    const volume = obj(v);
    if (!volume) return;
    const vp = `${path}.volumes[${i}]`;
    const name = str(volume.name);
    if (!name) c.required(`${vp}.name`);
    else {
      c.invalid(`${vp}.name`, name, dns1123Label(name));
      if (volumeNames.has(name))
        c.add(`${vp}.name`, "FieldValueDuplicate", `Duplicate value: ${JSON.stringify(name)}`);
      volumeNames.add(name);
    }
    const sources = VOLUME_SOURCES.filter((k) => volume[k] != null);
    if (sources.length === 0) c.required(vp, "must specify a volume type");
    else if (sources.length > 1)
      c.add(
        vp,
        "FieldValueForbidden",
        `Forbidden: may not specify more than 1 volume type (${sources.join(", ")})`,
      );
    const cm = obj(volume.configMap);
    if (cm && !str(cm.name)) c.required(`${vp}.configMap.name`);
    const secret = obj(volume.secret);
    if (secret && !str(secret.secretName)) c.required(`${vp}.secret.secretName`);
    const pvc = obj(volume.persistentVolumeClaim);
    if (pvc && !str(pvc.claimName)) c.required(`${vp}.persistentVolumeClaim.claimName`);
  });
  const containers = arr(s.containers);
  if (containers.length === 0) c.required(`${path}.containers`);
  const names = new Set<string>();
  arr(s.initContainers).forEach((ctr, i) => {
    const container = obj(ctr);
    if (container) checkContainer(c, container, `${path}.initContainers[${i}]`, volumeNames, names, true);
  });
  containers.forEach((ctr, i) => {
    const container = obj(ctr);
    if (container) checkContainer(c, container, `${path}.containers[${i}]`, volumeNames, names, false);
  });
  if (s.restartPolicy === undefined || s.restartPolicy === null) {
    if (!restartPolicies.includes("Always"))
      c.required(
        `${path}.restartPolicy`,
        `supported values: ${restartPolicies.map((p) => `"${p}"`).join(", ")}`,
      );
  } else c.enumeration(`${path}.restartPolicy`, s.restartPolicy, restartPolicies);
  c.enumeration(`${path}.dnsPolicy`, s.dnsPolicy, [
    "ClusterFirst",
    "ClusterFirstWithHostNet",
    "Default",
    "None",
  ]);
  const grace = num(s.terminationGracePeriodSeconds);
  if (grace !== undefined && grace < 0)
    c.invalid(`${path}.terminationGracePeriodSeconds`, grace, ["must be greater than or equal to 0"]);
  const deadline = num(s.activeDeadlineSeconds);
  if (deadline !== undefined && deadline <= 0)
    c.invalid(`${path}.activeDeadlineSeconds`, deadline, ["must be greater than 0"]);
  checkLabels(c, `${path}.nodeSelector`, s.nodeSelector);
  const sa = str(s.serviceAccountName);
  if (sa) c.invalid(`${path}.serviceAccountName`, sa, dns1123Subdomain(sa));
  arr(s.tolerations).forEach((t, i) => {
    const toleration = obj(t);
    if (!toleration) return;
    const tp = `${path}.tolerations[${i}]`;
    c.enumeration(`${tp}.operator`, toleration.operator, ["Exists", "Equal"]);
    c.enumeration(`${tp}.effect`, toleration.effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]);
    if (toleration.operator === "Exists" && toleration.value)
      c.invalid(`${tp}.operator`, toleration.operator, ["value must be empty when `operator` is 'Exists'"]);
    if (!toleration.key && toleration.operator !== "Exists")
      c.invalid(`${tp}.operator`, toleration.operator ?? "Equal", [
        'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ]);
  });
  arr(s.imagePullSecrets).forEach((ref, i) => {
    if (obj(ref) && !str(obj(ref)!.name)) c.required(`${path}.imagePullSecrets[${i}].name`);
  });
}

function checkTemplate(
  c: Collector,
  template: unknown,
  path: string,
  restartPolicies: readonly string[],
): Obj | undefined {
  const t = obj(template);
  if (!t) {
    c.required(path);
    return undefined;
  }
  const meta = obj(t.metadata) ?? {};
  checkLabels(c, `${path}.metadata.labels`, meta.labels);
  checkAnnotations(c, `${path}.metadata.annotations`, meta.annotations);
  checkPodSpec(c, t.spec, `${path}.spec`, restartPolicies);
  return meta;
}

function selectorMatches(selector: Obj, labels: Obj): boolean {
  const matchLabels = obj(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const expr of arr(selector.matchExpressions)) {
    const e = obj(expr);
    if (!e) continue;
    const key = String(e.key);
    const values = arr(e.values).map(String);
    const has = key in labels;
    const value = has ? String(labels[key]) : undefined;
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(value!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(value!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

function checkLabelSelector(c: Collector, selector: unknown, path: string): Obj | undefined {
  const s = obj(selector);
  if (!s) return undefined;
  checkLabels(c, `${path}.matchLabels`, s.matchLabels);
  arr(s.matchExpressions).forEach((expr, i) => {
    const e = obj(expr);
    if (!e) return;
    const ep = `${path}.matchExpressions[${i}]`;
    if (!str(e.key)) c.required(`${ep}.key`);
    if (!str(e.operator)) c.required(`${ep}.operator`);
    else c.enumeration(`${ep}.operator`, e.operator, ["In", "NotIn", "Exists", "DoesNotExist"]);
    const values = arr(e.values);
    if ((e.operator === "In" || e.operator === "NotIn") && values.length === 0)
      c.required(`${ep}.values`, "must be specified when `operator` is 'In' or 'NotIn'");
    if ((e.operator === "Exists" || e.operator === "DoesNotExist") && values.length > 0)
      c.add(
        `${ep}.values`,
        "FieldValueForbidden",
        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      );
  });
  return s;
}

function checkWorkloadSelector(c: Collector, spec: Obj, templateLabels: Obj): void {
  const selector = checkLabelSelector(c, spec.selector, "spec.selector");
  if (!selector) {
    c.required("spec.selector");
    return;
  }
  if (
    Object.keys(obj(selector.matchLabels) ?? {}).length === 0 &&
    arr(selector.matchExpressions).length === 0
  )
    c.invalid("spec.selector", selector, ["empty selector is invalid for deployment"]);
  else if (!selectorMatches(selector, templateLabels))
    c.invalid("spec.template.metadata.labels", templateLabels, [
      "`selector` does not match template `labels`",
    ]);
}

function nonNegative(c: Collector, spec: Obj, field: string, path = "spec"): void {
  const value = num(spec[field]);
  if (value !== undefined && value < 0)
    c.invalid(`${path}.${field}`, value, ["must be greater than or equal to 0"]);
}

const JOB_RESTART = ["OnFailure", "Never"];

function checkJobSpec(c: Collector, spec: unknown, path: string): void {
  const s = obj(spec);
  if (!s) {
    c.required(path);
    return;
  }
  for (const f of ["parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"])
    nonNegative(c, s, f, path);
  const deadline = num(s.activeDeadlineSeconds);
  if (deadline !== undefined && deadline <= 0)
    c.invalid(`${path}.activeDeadlineSeconds`, deadline, ["must be greater than 0"]);
  const meta = checkTemplate(c, s.template, `${path}.template`, JOB_RESTART);
  if (s.selector != null && s.manualSelector !== true && path === "spec") {
    // A selector may only be given together with manualSelector: true; otherwise it is generated.
    checkLabelSelector(c, s.selector, `${path}.selector`);
    const selector = obj(s.selector)!;
    if (meta && !selectorMatches(selector, obj(meta.labels) ?? {}))
      c.invalid(`${path}.template.metadata.labels`, meta.labels ?? {}, [
        "`selector` does not match template `labels`",
      ]);
  }
}

/** Applies the semantic rules for `type` to `o`. */
export function checkSemantics(o: Obj, type: ResourceType, issues: ValidationIssue[]): void {
  const c = new Collector(issues);
  checkObjectMeta(c, o.metadata, type.nameRule, type.namespaced);
  const spec = obj(o.spec);
  switch (type.kind) {
    case "Pod":
      checkPodSpec(c, o.spec, "spec");
      break;
    case "Job":
      checkJobSpec(c, o.spec, "spec");
      break;
    case "CronJob": {
      if (!spec) {
        c.required("spec");
        return;
      }
      if (!str(spec.schedule)) c.required("spec.schedule");
      c.enumeration("spec.concurrencyPolicy", spec.concurrencyPolicy, ["Allow", "Forbid", "Replace"]);
      const jobTemplate = obj(spec.jobTemplate);
      if (!jobTemplate) c.required("spec.jobTemplate");
      else checkJobSpec(c, jobTemplate.spec, "spec.jobTemplate.spec");
      break;
    }
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
    case "DaemonSet": {
      if (!spec) {
        c.required("spec");
        return;
      }
      nonNegative(c, spec, "replicas");
      const meta = checkTemplate(c, spec.template, "spec.template", ["Always"]);
      checkWorkloadSelector(c, spec, obj(meta?.labels) ?? {});
      if (type.kind === "Deployment") {
        const strategy = obj(spec.strategy);
        c.enumeration("spec.strategy.type", strategy?.type, ["Recreate", "RollingUpdate"]);
      }
      if (type.kind === "StatefulSet")
        c.enumeration("spec.podManagementPolicy", spec.podManagementPolicy, ["OrderedReady", "Parallel"]);
      break;
    }
    case "Service": {
      if (!spec) {
        c.required("spec");
        return;
      }
      const serviceType = str(spec.type) ?? "ClusterIP";
      c.enumeration("spec.type", spec.type, ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]);
      const ports = arr(spec.ports);
      if (ports.length === 0 && serviceType !== "ExternalName" && spec.clusterIP !== "None")
        c.required("spec.ports");
      const portNames = new Set<string>();
      ports.forEach((p, i) => {
        const port = obj(p);
        if (!port) return;
        const pp = `spec.ports[${i}]`;
        const value = num(port.port);
        if (value === undefined) c.required(`${pp}.port`);
        else if (value < 1 || value > 65535)
          c.invalid(`${pp}.port`, value, ["must be between 1 and 65535, inclusive"]);
        const name = str(port.name);
        if (ports.length > 1 && !name) c.required(`${pp}.name`);
        if (name) {
          c.invalid(`${pp}.name`, name, dns1123Label(name));
          if (portNames.has(name))
            c.add(`${pp}.name`, "FieldValueDuplicate", `Duplicate value: ${JSON.stringify(name)}`);
          portNames.add(name);
        }
        c.enumeration(`${pp}.protocol`, port.protocol, PROTOCOLS);
        const target = port.targetPort;
        if (typeof target === "number" && (target < 1 || target > 65535))
          c.invalid(`${pp}.targetPort`, target, ["must be between 1 and 65535, inclusive"]);
        if (typeof target === "string") {
          if (/^\d+$/.test(target))
            c.invalid(`${pp}.targetPort`, target, ["must be an integer or an IANA service name"]);
          else c.invalid(`${pp}.targetPort`, target, ianaServiceName(target));
        }
      });
      checkLabels(c, "spec.selector", spec.selector);
      break;
    }
    case "ConfigMap":
    case "Secret": {
      for (const field of ["data", "binaryData", "stringData"]) {
        const map = obj(o[field]);
        if (!map) continue;
        for (const [key, value] of Object.entries(map)) {
          c.invalid(`${field}[${key}]`, key, configMapKey(key));
          if (
            type.kind === "Secret" &&
            field === "data" &&
            typeof value === "string" &&
            !/^[A-Za-z0-9+/]*={0,2}$/.test(value)
          )
            c.invalid(`data[${key}]`, "<secret contents redacted>", ["must be base64-encoded"]);
        }
      }
      break;
    }
    case "Role":
    case "ClusterRole":
      arr(o.rules).forEach((r, i) => {
        const rule = obj(r);
        if (rule && arr(rule.verbs).length === 0)
          c.required(`rules[${i}].verbs`, "verbs must contain at least one value");
      });
      break;
    case "RoleBinding":
    case "ClusterRoleBinding": {
      const roleRef = obj(o.roleRef);
      if (!roleRef) c.required("roleRef");
      else {
        if (!str(roleRef.kind)) c.required("roleRef.kind");
        else
          c.enumeration(
            "roleRef.kind",
            roleRef.kind,
            type.kind === "RoleBinding" ? ["Role", "ClusterRole"] : ["ClusterRole"],
          );
        if (!str(roleRef.name)) c.required("roleRef.name");
      }
      arr(o.subjects).forEach((s, i) => {
        const subject = obj(s);
        if (!subject) return;
        c.enumeration(`subjects[${i}].kind`, subject.kind, ["ServiceAccount", "User", "Group"]);
        if (!str(subject.name)) c.required(`subjects[${i}].name`);
      });
      break;
    }
    case "PersistentVolumeClaim": {
      if (!spec) {
        c.required("spec");
        return;
      }
      if (arr(spec.accessModes).length === 0)
        c.required("spec.accessModes", "at least 1 access mode is required");
      const requests = obj(obj(spec.resources)?.requests);
      if (!requests || requests.storage === undefined) c.required("spec.resources[storage]");
      break;
    }
    case "Ingress":
      arr(spec?.rules).forEach((r, i) => {
        const rule = obj(r);
        arr(obj(rule?.http)?.paths).forEach((p, j) => {
          const path = obj(p);
          if (path && !str(path.pathType))
            c.required(`spec.rules[${i}].http.paths[${j}].pathType`, "pathType must be specified");
          else if (path)
            c.enumeration(`spec.rules[${i}].http.paths[${j}].pathType`, path.pathType, [
              "Exact",
              "Prefix",
              "ImplementationSpecific",
            ]);
        });
      });
      break;
  }
}
