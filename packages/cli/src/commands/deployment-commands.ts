import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { callWebserver, TOKEN_ENV, URL_ENV, webserverTarget } from "../webserver-client.ts";

/** A deployment as the API answers it. */
interface DeploymentView {
  readonly name: string;
  readonly kind: "full" | "branch";
  readonly base: string | null;
  readonly branch: string | null;
  readonly commit: string | null;
  readonly pullRequestUrl: string | null;
  readonly status: "open" | "closed";
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
}

const URL_HELP = `the webserver's URL (default $${URL_ENV}, else http://127.0.0.1:3000); the token is read from $${TOKEN_ENV}`;

/**
 * `bosun deployment create|close|list`: branch deployments from CI, through the webserver's API with a
 * token (an editor's suffices), so CI needs no database access.
 */
export function registerDeploymentCommands(program: Command): void {
  const deployment = program.command("deployment").description("Create, close and list deployments");

  deployment
    .command("create")
    .description("Create the branch's deployment, or update it on a later push (idempotent by branch)")
    .requiredOption("--branch <branch>", "the git branch")
    .option("--base <deployment>", "the deployment it is compared with", "prod")
    .option("--commit <sha>", "the commit pushed")
    .option("--pull-request <url>", "the pull request's URL")
    .option("--name <name>", "the deployment's name when it is created (default: from the branch)")
    .option("--url <url>", URL_HELP)
    .option("--json", "print the deployment as JSON")
    .action(async (options) => {
      const { deployment: record, created } = await callWebserver<{
        deployment: DeploymentView;
        created: boolean;
      }>(webserverTarget(options.url), "POST", "/api/deployments", {
        branch: options.branch,
        base: options.base,
        ...(options.commit !== undefined ? { commit: options.commit } : {}),
        ...(options.pullRequest !== undefined ? { pullRequest: options.pullRequest } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
      });
      if (options.json) process.stdout.write(`${JSON.stringify({ deployment: record, created }, null, 2)}\n`);
      else
        process.stdout.write(
          `${created ? "created" : "updated"} deployment ${record.name} (branch ${record.branch}, base ${record.base}${record.commit ? `, commit ${record.commit}` : ""})\n`,
        );
    });

  deployment
    .command("close <name>")
    .description("Close a branch deployment: its history stays read-only until retention purges it")
    .option("--url <url>", URL_HELP)
    .action(async (name: string, options) => {
      const { deployment: record } = await callWebserver<{ deployment: DeploymentView }>(
        webserverTarget(options.url),
        "POST",
        `/api/deployments/${encodeURIComponent(name)}/close`,
      );
      process.stdout.write(`deployment ${record.name} is ${record.status}\n`);
    });

  deployment
    .command("list")
    .description("List deployments with their status, branch, commit and pull request")
    .option("--url <url>", URL_HELP)
    .option("--json", "print JSON")
    .action(async (options) => {
      const { deployments } = await callWebserver<{ deployments: DeploymentView[] }>(
        webserverTarget(options.url),
        "GET",
        "/api/deployments",
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ deployments }, null, 2)}\n`);
        return;
      }
      if (deployments.length === 0) throw new CliError("the webserver lists no deployments");
      const rows = deployments.map((d) => [
        d.name,
        d.kind,
        d.status,
        d.branch ?? "-",
        d.base ?? "-",
        d.commit?.slice(0, 12) ?? "-",
        d.pullRequestUrl ?? "-",
      ]);
      printTable(["NAME", "KIND", "STATUS", "BRANCH", "BASE", "COMMIT", "PULL REQUEST"], rows);
    });
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const row of [header, ...rows])
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
}
