/**
 * The two building blocks of every Kubernetes config schema:
 *
 * - `bosunObject(shape)`: one of Bosun's own objects (launcher config, container context, a raw
 *   config with its `container_config`, ... sections). Keys are canonically snake_case; the camelCase
 *   spelling (`containerConfig`, as Helm values write it) is accepted and renamed.
 * - `kubeObject("V1Container")`: a Kubernetes object, checked field by field against the model
 *   metadata of `@kubernetes/client-node` and canonicalised to API camelCase.
 *
 * Both stay plain zod (a preprocess step in front of a strict object or a record), so
 * `z.toJSONSchema` turns them into the canonical JSON Schema.
 */

import { nearest } from "@bosun/core";
import { z } from "zod";
import { normalizeKubeObject } from "../kube-model/normalize-kube-object.ts";
import { spellLike, toCamelCase } from "../util/key-case.ts";
import { isPlainObject } from "../util/plain-object.ts";

/** Extra data Bosun attaches to its custom zod issues, read back when building `K8sConfigError`. */
export interface IssueParams {
  readonly expected: string;
  readonly suggestion?: string;
}

/**
 * A strict object whose keys may also be written camelCase. Unknown keys get "did you mean";
 * both spellings of one key is an error; `null` values mean "not set".
 */
export function bosunObject<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  refine?: (value: z.output<z.ZodObject<Shape, z.core.$strict>>, ctx: z.RefinementCtx) => void,
) {
  const canonicalKeys = Object.keys(shape);
  const bySpelling = new Map<string, string>();
  for (const key of canonicalKeys) {
    bySpelling.set(key, key);
    bySpelling.set(toCamelCase(key), key);
  }
  const strict = z.strictObject(shape);
  const inner = refine ? strict.superRefine(refine) : strict;
  return z.preprocess((value, ctx) => {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    const spelledAs = new Map<string, string>();
    for (const [key, item] of Object.entries(value)) {
      const canonical = bySpelling.get(key);
      if (canonical === undefined) {
        const near = nearest(key, canonicalKeys);
        const suggestion = near === undefined ? undefined : spellLike(key, near, toCamelCase(near), "snake");
        const params: IssueParams = {
          expected: `one of ${canonicalKeys.join(", ")}`,
          ...(suggestion === undefined ? {} : { suggestion }),
        };
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: item,
          params,
          message:
            suggestion === undefined
              ? `unknown field; expected one of ${canonicalKeys.map((k) => `\`${k}\``).join(", ")}`
              : `unknown field; did you mean \`${suggestion}\`?`,
        });
        continue;
      }
      const earlier = spelledAs.get(canonical);
      if (earlier !== undefined) {
        const params: IssueParams = { expected: "one spelling per field" };
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: item,
          params,
          message: `\`${earlier}\` and \`${key}\` are the same field; give it once`,
        });
        continue;
      }
      spelledAs.set(canonical, key);
      if (item !== null) out[canonical] = item;
    }
    return out;
  }, inner);
}

export interface KubeObjectOptions {
  /** Fields Bosun sets itself, with the reason shown when a user gives one. */
  readonly reserved?: Readonly<Record<string, string>>;
}

/** A Kubernetes object of the generated class `className`, in either key spelling, canonicalised to camelCase. */
export function kubeObject(className: string, options: KubeObjectOptions = {}) {
  return z
    .preprocess(
      (value, ctx) => {
        if (!isPlainObject(value)) return value;
        const { value: normalized, issues } = normalizeKubeObject(className, value);
        for (const issue of issues) {
          const params: IssueParams = {
            expected: issue.expected,
            ...(issue.suggestion === undefined ? {} : { suggestion: issue.suggestion }),
          };
          ctx.addIssue({
            code: "custom",
            path: [...issue.path],
            input: value,
            params,
            message: issue.message,
          });
        }
        for (const [field, reason] of Object.entries(options.reserved ?? {})) {
          if (field in normalized) {
            const params: IssueParams = { expected: "a field Bosun does not set itself" };
            ctx.addIssue({ code: "custom", path: [field], input: value, params, message: reason });
          }
        }
        return normalized;
      },
      z.record(z.string(), z.unknown()),
    )
    .meta({ "x-kubernetes-model": className });
}
