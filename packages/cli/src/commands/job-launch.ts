import { openInstance } from "@bosun/instance";
import { checkRunTags, RunRequests } from "@bosun/runs";
import { PUBLIC_URL_ENV } from "@bosun/webserver";
import { CliError } from "../cli-error.ts";
import { parseRunConfigOption, parseTagOptions } from "../cli-options.ts";
import {
  type LocationOptions,
  oneLocationConfigFrom,
  onlyLocation,
  openLocation,
} from "../location-target.ts";
import { PLUGIN_DEFINITION_CHECKS } from "../plugins.ts";

/** What `bosun job launch` was given. */
export interface JobLaunchOptions extends LocationOptions {
  readonly job: string;
  readonly config?: string;
  readonly tag?: readonly string[];
  readonly partition?: string;
  readonly json?: boolean;
}

/**
 * `bosun job launch`: queues a run on the instance exactly as the UI's launchpad does, through the
 * run-request service (validated by the location's execution plan, stored QUEUED with the location's
 * name). It does not wait: a daemon (`bosun dev` or `bosun daemon run`) admits and launches queued runs.
 */
export async function launchJob(options: JobLaunchOptions): Promise<void> {
  // Every flag is checked before the code is loaded or the instance opened.
  const config = oneLocationConfigFrom(options);
  const runConfig = parseRunConfigOption(options.config);
  const tags = parseTagOptions(options.tag);
  await refuseBadTags(tags);
  const location = await openLocation(config);
  try {
    const instance = await openInstance();
    try {
      const requests = new RunRequests({ storage: instance.storage, locations: onlyLocation(location) });
      const run = await requests.launch({
        location: location.name,
        jobName: options.job,
        ...(runConfig !== undefined ? { runConfig } : {}),
        ...(tags ? { tags } : {}),
        partitionKey: options.partition ?? null,
        status: "QUEUED",
      });
      const url = runUrl(run.runId);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ runId: run.runId, status: run.status, location: location.name, url }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(`${run.runId}\n`);
      process.stderr.write(
        `Queued run ${run.runId} of ${run.jobName} (location ${location.name})${url ? `: ${url}` : ""}\n` +
          "A daemon launches it: `bosun dev` or `bosun daemon run` on this instance.\n",
      );
    } finally {
      await instance.close();
    }
  } finally {
    location.close();
  }
}

/** The plugins' checks of the tags, as the API's launch runs them (a misspelt `bosun-k8s/config` key). */
async function refuseBadTags(tags: Readonly<Record<string, string>> | undefined): Promise<void> {
  const issues = await checkRunTags(PLUGIN_DEFINITION_CHECKS.tags ?? {}, tags);
  if (issues.length > 0)
    throw new CliError(issues.map((issue) => `--tag ${issue.tag}: ${issue.message}`).join("\n"), 1);
}

/** The run's page in the UI, when the webserver's public URL is known (BOSUN_WEBSERVER_PUBLIC_URL). */
function runUrl(runId: string): string | null {
  const base = process.env[PUBLIC_URL_ENV];
  if (!base) return null;
  return `${base.replace(/\/+$/, "")}/runs/${runId}`;
}
