/**
 * Where the launcher and executor get their Kubernetes credentials: the pod's service account
 * (`load_incluster_config`) or a kubeconfig file. The two are mutually exclusive.
 */
import { z } from "zod";
import type { IssueParams } from "./schema-building.ts";

export const clientSourceShape = {
  /** Use the pod's service account. Default: true unless `kubeconfig_file` is set. */
  load_incluster_config: z
    .boolean()
    .describe("Use the in-cluster service account credentials. Default: true unless kubeconfig_file is set.")
    .optional(),
  /** Path of a kubeconfig file; implies `load_incluster_config: false`. */
  kubeconfig_file: z
    .string()
    .min(1)
    .describe("Path of a kubeconfig file to use instead of the in-cluster credentials.")
    .optional(),
};

/** The superRefine half: rejects `load_incluster_config: true` together with `kubeconfig_file`. */
export function checkClientSource(
  value: { load_incluster_config?: boolean | undefined; kubeconfig_file?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (value.load_incluster_config === true && value.kubeconfig_file !== undefined) {
    const params: IssueParams = { expected: "either load_incluster_config or kubeconfig_file, not both" };
    ctx.addIssue({
      code: "custom",
      path: ["kubeconfig_file"],
      input: value.kubeconfig_file,
      params,
      message: "cannot be combined with `load_incluster_config: true`; set one of the two",
    });
  }
}

/** How to build a Kubernetes API client from a launcher or executor config. */
export type K8sClientSource =
  | { readonly kind: "in-cluster" }
  | { readonly kind: "kubeconfig"; readonly file?: string };

/**
 * Resolves the client source. `load_incluster_config: false` without a file means the default
 * kubeconfig (`$KUBECONFIG` or `~/.kube/config`).
 */
export function k8sClientSource(config: {
  load_incluster_config?: boolean | undefined;
  kubeconfig_file?: string | undefined;
}): K8sClientSource {
  if (config.kubeconfig_file !== undefined) return { kind: "kubeconfig", file: config.kubeconfig_file };
  if (config.load_incluster_config === false) return { kind: "kubeconfig" };
  return { kind: "in-cluster" };
}
