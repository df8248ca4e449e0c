import { checkRunTags as checkTags, type RunTagChecks } from "@bosun/runs";
import type { FieldIssue } from "../api/api-error.ts";

export type { RunTagChecks };

/**
 * The launch body's tags checked by the plugins' checks (`checkRunTags` of @bosun/runs, which
 * `bosun job launch` uses too), each problem named by its body field.
 *
 * @example
 * await checkRunTags(checks, { "bosun-k8s/config": '{"container_config":{"resourcs":{}}}' })
 * // → [{ field: 'body.tags["bosun-k8s/config"]', message: "`container_config.resourcs`: unknown field; did you mean `resources`?" }]
 */
export async function checkRunTags(
  checks: RunTagChecks,
  tags: Readonly<Record<string, string>> | undefined,
): Promise<FieldIssue[]> {
  const issues = await checkTags(checks, tags);
  return issues.map((issue) => ({
    field: `body.tags[${JSON.stringify(issue.tag)}]`,
    message: issue.message,
  }));
}
