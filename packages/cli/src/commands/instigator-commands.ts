import type { InstigatorEvaluation } from "@bosun/code-server";
import { formatFailure } from "@bosun/core";
import {
  listScheduleViews,
  listSensorViews,
  previewSchedule,
  previewSensor,
  type ScheduleView,
  type SensorView,
  setInstigatorStatus,
} from "@bosun/daemon";
import { type Instance, openInstance } from "@bosun/instance";
import type { InstigatorKind } from "@bosun/storage";
import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { locationOf, withLocations } from "../instigator-locations.ts";
import { type LocationOptions, locationOptions, type OpenedLocation } from "../location-target.ts";

type Options = LocationOptions & { readonly json?: boolean; readonly ticks?: number };

/**
 * `bosun schedule list|start|stop|preview` and `bosun sensor ...`: the same listing, switches and
 * evaluation the UI and the daemon use (@bosun/daemon's instigator views and evaluation). Start and stop
 * store the status; a running daemon (`bosun dev`, `bosun daemon run`) follows it.
 */
export function registerInstigatorCommands(program: Command): void {
  for (const kind of ["schedule", "sensor"] as const) {
    const group = program
      .command(kind)
      .description(
        kind === "schedule"
          ? "List, start, stop and preview the schedules of a workspace's code locations"
          : "List, start, stop and preview the sensors of a workspace's code locations",
      );

    locationOptions(group.command("list").description(`List the ${kind}s with their status`))
      .option("--json", "print JSON only")
      .action((options: Options) => withInstance((instance) => list(instance, kind, options)));

    for (const status of ["RUNNING", "STOPPED"] as const) {
      const action = status === "RUNNING" ? "start" : "stop";
      locationOptions(
        group
          .command(`${action} <name>`)
          .description(
            `${action === "start" ? "Start" : "Stop"} a ${kind} (stored; a running daemon follows, as after the UI's switch)`,
          ),
      )
        .option("--json", "print JSON only")
        .action((name: string, options: Options) =>
          withInstance((instance) => switchTo(instance, kind, name, status, options)),
        );
    }

    const preview = locationOptions(
      group
        .command("preview <name>")
        .description(
          kind === "schedule"
            ? "Evaluate a schedule's next tick(s) without launching anything: the run requests or skip reason"
            : "Evaluate a sensor once from its stored cursor without launching anything or moving the cursor",
        ),
    ).option("--json", "print JSON only");
    if (kind === "schedule")
      preview.option("--ticks <n>", "how many upcoming ticks to evaluate", positiveInt, 1);
    preview.action((name: string, options: Options) =>
      kind === "schedule"
        ? previewScheduleCommand(name, options)
        : withInstance((instance) => previewSensorCommand(instance, name, options)),
    );
  }
}

async function withInstance(use: (instance: Instance) => Promise<void>): Promise<void> {
  const instance = await openInstance();
  try {
    await use(instance);
  } finally {
    await instance.close();
  }
}

function list(instance: Instance, kind: InstigatorKind, options: Options): Promise<void> {
  return withLocations(options, async (locations) => {
    const storage = instance.storage.instigators;
    const views =
      kind === "schedule"
        ? await listScheduleViews(storage, locations, new Date())
        : await listSensorViews(storage, locations);
    if (options.json) return print(JSON.stringify(views, null, 2));
    if (views.length === 0) return print(`no ${kind}s`);
    for (const view of views) print(describe(kind, view));
  });
}

function switchTo(
  instance: Instance,
  kind: InstigatorKind,
  name: string,
  status: "RUNNING" | "STOPPED",
  options: Options,
): Promise<void> {
  return withLocations(options, async (locations) => {
    const location = locationOf(locations, kind, name);
    const view = await setInstigatorStatus(
      instance.storage.instigators,
      location,
      kind,
      name,
      status,
      new Date(),
    );
    if (options.json) return print(JSON.stringify(view, null, 2));
    print(describe(kind, view));
    if (status === "RUNNING")
      print("(a daemon evaluates it: `bosun dev` or `bosun daemon run` on this instance)");
  });
}

/** Needs no instance: a schedule's evaluation reads no stored state. */
function previewScheduleCommand(name: string, options: Options): Promise<void> {
  return withLocations(options, async (locations) => {
    const location = locationOf(locations, "schedule", name);
    const schedule = location.snapshot.schedules.find((s) => s.name === name)!;
    const { ticks } = await previewSchedule(location.client, schedule, new Date(), options.ticks ?? 1);
    if (options.json) print(JSON.stringify({ location: location.name, schedule: name, ticks }, null, 2));
    else {
      print(
        `schedule ${name} (location ${location.name}, job ${schedule.jobName}, cron "${schedule.cron}" ${schedule.timezone})`,
      );
      if (ticks.length === 0) print("  no upcoming tick");
      for (const tick of ticks) print(`tick ${tick.scheduledTime}:\n${describeEvaluation(tick.evaluation)}`);
    }
    failWhenAnyFailed(ticks.map((tick) => tick.evaluation));
  });
}

function previewSensorCommand(instance: Instance, name: string, options: Options): Promise<void> {
  return withLocations(options, async (locations) => {
    const location: OpenedLocation = locationOf(locations, "sensor", name);
    const sensor = location.snapshot.sensors.find((s) => s.name === name)!;
    const result = await previewSensor(instance.storage.instigators, location.client, location.name, sensor);
    if (options.json) print(JSON.stringify({ location: location.name, sensor: name, ...result }, null, 2));
    else {
      print(`sensor ${name} (location ${location.name}, job ${sensor.jobName})`);
      print(`  given cursor: ${result.cursor ?? "(none)"}; last run key: ${result.lastRunKey ?? "(none)"}`);
      print(describeEvaluation(result.evaluation));
    }
    failWhenAnyFailed([result.evaluation]);
  });
}

function describe(kind: InstigatorKind, view: ScheduleView | SensorView): string {
  if (kind === "schedule") {
    const schedule = view as ScheduleView;
    return `${schedule.name}\t${schedule.location}\t${schedule.status}\tnext tick ${schedule.nextTickAt ?? "-"}\t(${schedule.cron} ${schedule.timezone}, job ${schedule.jobName})`;
  }
  const sensor = view as SensorView;
  const last = sensor.lastEvaluatedAt === null ? "never" : new Date(sensor.lastEvaluatedAt).toISOString();
  return `${sensor.name}\t${sensor.location}\t${sensor.status}\tcursor ${sensor.cursor ?? "-"}\tlast evaluated ${last}\t(job ${sensor.jobName})`;
}

/** What an evaluation asked for, indented under its heading. */
function describeEvaluation(evaluation: InstigatorEvaluation): string {
  if (!evaluation.ok) return `  evaluation failed: ${formatFailure(evaluation.error).replace(/\n/g, "\n  ")}`;
  const lines: string[] = [];
  if (evaluation.runRequests.length === 0)
    lines.push(`  no run requested${evaluation.skipReason ? `; skip reason: ${evaluation.skipReason}` : ""}`);
  for (const [index, request] of evaluation.runRequests.entries()) {
    lines.push(`  run request ${index + 1}:`);
    if (request.runKey !== undefined) lines.push(`    run key: ${request.runKey}`);
    if (request.partitionKey !== undefined) lines.push(`    partition: ${request.partitionKey}`);
    for (const [key, value] of Object.entries(request.tags ?? {})) lines.push(`    tag ${key}=${value}`);
    if (request.runConfig !== undefined) lines.push(`    run config: ${JSON.stringify(request.runConfig)}`);
  }
  if (evaluation.cursor !== null) lines.push(`  new cursor: ${evaluation.cursor}`);
  return lines.join("\n");
}

/** A preview whose evaluation failed exits 1 (after showing the error), as the daemon's tick would fail. */
function failWhenAnyFailed(evaluations: readonly InstigatorEvaluation[]): void {
  if (evaluations.some((evaluation) => !evaluation.ok)) process.exitCode = 1;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 100)
    throw new CliError(`--ticks expects a whole number from 1 to 100, got ${JSON.stringify(value)}`, 2);
  return n;
}
