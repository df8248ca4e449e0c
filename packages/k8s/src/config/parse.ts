/**
 * The one entry point that turns user input into a parsed Kubernetes config, or a `K8sConfigError`
 * whose paths use the user's own spelling of every key.
 */
import type { z } from "zod";
import { K8sConfigError, type K8sConfigIssue } from "../errors.ts";
import { formatPath } from "../util/field-path.ts";
import { toSnakeCase } from "../util/key-case.ts";
import { describeValue, isPlainObject } from "../util/plain-object.ts";
import type { IssueParams } from "./schema-building.ts";

/**
 * Parses `input` with one of this package's schemas.
 *
 * @example
 * parseK8sConfig(RunK8sConfigSchema, { pod_spec_config: { node_selectr: {} } }, "job tag bosun-k8s/config")
 * // throws K8sConfigError: job tag bosun-k8s/config: `pod_spec_config.node_selectr`: unknown field; did you mean `node_selector`?
 */
export function parseK8sConfig<S extends z.ZodType>(schema: S, input: unknown, source?: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new K8sConfigError(
    result.error.issues.map((issue) => toConfigIssue(issue, input ?? {})),
    source,
  );
}

function toConfigIssue(issue: z.core.$ZodIssue, input: unknown): K8sConfigIssue {
  const { path, value, found } = locate(input, issue.path);
  const where = formatPath(path) || "(document)";
  const params = (issue as { params?: Partial<IssueParams> }).params;
  if (issue.code === "custom" && params?.expected !== undefined) {
    return {
      path: where,
      expected: params.expected,
      ...(params.suggestion === undefined ? {} : { suggestion: params.suggestion }),
      detail: issue.message,
    };
  }
  if (!found && issue.code === "invalid_type") {
    const expected = describeExpected(issue.expected);
    return { path: where, expected, detail: `required field is missing: expected ${expected}` };
  }
  switch (issue.code) {
    case "invalid_type": {
      const expected = describeExpected(issue.expected);
      return { path: where, expected, detail: `expected ${expected}, got ${describeValue(value)}` };
    }
    case "invalid_value": {
      const expected = `one of ${issue.values.map((v) => String(v)).join(", ")}`;
      return { path: where, expected, detail: `expected ${expected}, got ${describeValue(value)}` };
    }
    case "too_small": {
      const expected =
        issue.origin === "string" || issue.origin === "array"
          ? `at least ${issue.minimum} ${issue.origin === "string" ? "character" : "item"}${Number(issue.minimum) === 1 ? "" : "s"}`
          : `a number ${issue.inclusive ? ">=" : ">"} ${issue.minimum}`;
      return { path: where, expected, detail: `expected ${expected}, got ${describeValue(value)}` };
    }
    case "too_big": {
      const expected = `a value ${issue.inclusive ? "<=" : "<"} ${issue.maximum}`;
      return { path: where, expected, detail: `expected ${expected}, got ${describeValue(value)}` };
    }
    case "invalid_format":
      return { path: where, expected: issue.message.replace(/^expected /, ""), detail: issue.message };
    case "unrecognized_keys":
      return { path: where, expected: "known fields", detail: `unknown fields ${issue.keys.join(", ")}` };
    default:
      return { path: where, expected: params?.expected ?? issue.message, detail: issue.message };
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "an integer";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
    case "map":
      return "a map";
    default:
      return expected;
  }
}

/**
 * Maps a path of canonical keys back to the keys the user wrote (`podSpecConfig.node_selector`
 * stays as written) and finds the value there.
 */
function locate(
  input: unknown,
  canonicalPath: readonly PropertyKey[],
): { path: (string | number)[]; value: unknown; found: boolean } {
  const path: (string | number)[] = [];
  let current: unknown = input;
  let found = true;
  for (const segment of canonicalPath) {
    if (typeof segment === "number") {
      path.push(segment);
      current = Array.isArray(current) ? current[segment] : undefined;
      found &&= current !== undefined;
      continue;
    }
    const key = String(segment);
    if (isPlainObject(current)) {
      const written =
        key in current ? key : Object.keys(current).find((k) => toSnakeCase(k) === toSnakeCase(key));
      path.push(written ?? key);
      current = written === undefined ? undefined : current[written];
      found &&= written !== undefined;
    } else {
      path.push(key);
      current = undefined;
      found = false;
    }
  }
  return { path, value: current, found };
}
