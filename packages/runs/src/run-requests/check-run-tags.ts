import type { ValueCheckLoader } from "@bosun/engine";

/** Plugins' checks of tag values by tag key (the `bosun` command passes its plugins' `definitionChecks.tags`). */
export type RunTagChecks = Readonly<Record<string, ValueCheckLoader>>;

/** One problem of a tag a launch carries: the tag, and the path and detail the check found. */
export interface RunTagIssue {
  readonly tag: string;
  /** "`container_config.resourcs`: unknown field; did you mean `resources`?" */
  readonly message: string;
}

/**
 * Checks the tags of a launch (the API's, `bosun job launch`'s) with the same checks a code location's
 * definitions pass when it loads, so a misspelt `bosun-k8s/config` key given at launch is refused then,
 * not when the launcher starts the run. A check is loaded only when the launch carries its tag.
 *
 * @example
 * await checkRunTags(checks, { "bosun-k8s/config": '{"container_config":{"resourcs":{}}}' })
 * // → [{ tag: "bosun-k8s/config", message: "`container_config.resourcs`: unknown field; did you mean `resources`?" }]
 */
export async function checkRunTags(
  checks: RunTagChecks,
  tags: Readonly<Record<string, string>> | undefined,
): Promise<RunTagIssue[]> {
  const issues: RunTagIssue[] = [];
  for (const [tag, value] of Object.entries(tags ?? {})) {
    const load = checks[tag];
    if (load === undefined) continue;
    const check = await load();
    for (const issue of check(value)) issues.push({ tag, message: `\`${issue.path}\`: ${issue.detail}` });
  }
  return issues;
}
