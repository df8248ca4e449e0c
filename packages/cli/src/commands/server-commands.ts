import { openInstance } from "@bosun/instance";
import { terminateRun } from "@bosun/runs";
import type { Command } from "commander";
import { collect } from "../cli-options.ts";
import { startDaemonServices } from "../daemon-services.ts";
import { checkBeforeStart } from "../dev-preflight.ts";
import { followRunsInTerminal } from "../dev-run-lines.ts";
import { cancelRunsInProgress, DEV_CANCEL_GRACE_MS } from "../dev-shutdown.ts";
import { PLUGIN_DEFINITION_CHECKS } from "../plugins.ts";
import { untilSignal } from "../until-signal.ts";
import { watchLocations } from "../watch-locations.ts";
import { parsePort, workspaceSourceFrom } from "../workspace-source.ts";

export function registerServerCommands(program: Command): void {
  program
    .command("webserver")
    .description("Serve the UI and the HTTP API for the code locations of a workspace")
    .option("-w, --workspace <file>", "workspace.yaml listing the code locations (default ./workspace.yaml)")
    .option("-f, --file <file>", "a single code location file (TypeScript)")
    .option("--host <host>", "address to bind (loopback unless told otherwise)", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", parsePort, 3000)
    .option("--read-only", "refuse every mutating call with 403 and hide mutating controls")
    .option(
      "--public-url <url>",
      "the URL people reach the webserver at (its host is answered; default BOSUN_WEBSERVER_PUBLIC_URL)",
    )
    .option(
      "--allowed-host <name>",
      "another host name to answer to, repeatable (default BOSUN_WEBSERVER_ALLOWED_HOSTS; other Host headers are refused)",
      collect,
    )
    .option(
      "--insecure-allow-anonymous",
      "serve without auth on an address other machines can reach (refused otherwise; see docs/auth.md)",
    )
    .action(async (options) => {
      const source = workspaceSourceFrom(options);
      await checkBeforeStart(source, { host: options.host, port: options.port });
      const { runWebserverCommand } = await import("../webserver-command.ts");
      await runWebserverCommand(source, {
        host: options.host,
        port: options.port,
        readOnly: Boolean(options.readOnly),
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        ...(options.allowedHost ? { allowedHosts: options.allowedHost } : {}),
        allowAnonymous: Boolean(options.insecureAllowAnonymous),
      });
    });

  program
    .command("dev")
    .description(
      "Run everything locally in one command: PostgreSQL (embedded), code servers, webserver and daemon",
    )
    .option("-w, --workspace <file>", "workspace.yaml listing the code locations (default ./workspace.yaml)")
    .option("-f, --file <file>", "a single code location file (TypeScript)")
    .option("--host <host>", "address to bind the webserver (loopback unless told otherwise)", "127.0.0.1")
    .option("--port <port>", "webserver port (0 picks a free one)", parsePort, 3000)
    .option("--no-watch", "do not reload a code location when its files change")
    .option("-q, --quiet", "print no line when a run starts or ends")
    .option(
      "--insecure-allow-anonymous",
      "serve without auth on an address other machines can reach (refused otherwise; see docs/auth.md)",
    )
    .action(async (options) => {
      const source = workspaceSourceFrom(options);
      await checkBeforeStart(source, { host: options.host, port: options.port });
      const { startWebserver } = await import("@bosun/webserver");
      const instance = await openInstance({ applicationName: "bosun-dev" });
      // Everything started is stopped in reverse order, also when a later start fails.
      const cleanup: (() => Promise<unknown>)[] = [() => instance.close()];
      try {
        const { workspace, launcher } = await startDaemonServices(instance, source, cleanup);
        if (options.watch) {
          const stopWatching = watchLocations(workspace, source, {
            bosunHome: instance.home,
            print: (line) => process.stdout.write(`${line}\n`),
          });
          cleanup.unshift(async () => stopWatching());
        }
        const server = await startWebserver({
          storage: instance.storage,
          workspace,
          readOnly: false,
          auth: instance.auth,
          allowAnonymous: Boolean(options.insecureAllowAnonymous),
          host: options.host,
          port: options.port,
          terminateRun: (runId) => terminateRun(instance.storage, launcher, runId),
          deployments: {
            storages: instance.deployments,
            terminateRunIn: (_name, storage) => (runId) => terminateRun(storage, launcher, runId),
          },
          queueLimits: instance.daemon.runCoordinator,
          runTagChecks: PLUGIN_DEFINITION_CHECKS.tags ?? {},
          // Requests stay quiet in the terminal; failures are shown.
          logger: { level: "warn" },
        });
        cleanup.unshift(() => server.close());
        if (!options.quiet) {
          const runLines = await followRunsInTerminal(instance.storage, {
            runUrl: (runId) => `${server.url}/runs/${runId}`,
            print: (line) => process.stdout.write(`${line}\n`),
          });
          cleanup.unshift(() => runLines.close());
        }
        process.stdout.write(`Bosun is running: ${server.url}  (Ctrl-C stops everything)\n`);
        if (!instance.auth.enabled)
          process.stdout.write("  auth is off: no sign-in, every caller may do everything (docs/auth.md)\n");
        for (const location of workspace.list()) {
          process.stdout.write(
            `  location ${location.name}: ${location.status}${location.error ? ` - ${location.error.message}` : ""}\n`,
          );
        }
        await untilSignal();
        await cancelRunsInProgress(instance.storage, launcher, {
          graceMs: DEV_CANCEL_GRACE_MS,
          forced: untilSignal(),
          print: (line) => process.stdout.write(`${line}\n`),
        });
        process.stdout.write("Stopping...\n");
      } finally {
        for (const stop of cleanup) await stop();
      }
    });
}
