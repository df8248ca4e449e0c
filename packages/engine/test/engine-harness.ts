import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunRecord, RunStatus, StoredEvent } from "@bosun/core";
import { type CodeOrigin, executeRun, loadDefinitions } from "@bosun/engine";
import type { ComputeLogSettings } from "@bosun/instance";
import { inProcessLocation, type LaunchRequest, type ReexecutionMode, RunRequests } from "@bosun/runs";
import { createTestStorage, FIXTURES, type TestStorage } from "@bosun/test-support";
import type { Definitions } from "bosun";

export const ENGINE_FIXTURE = FIXTURES.engine;

export interface RunOutcome {
  readonly run: RunRecord;
  readonly status: RunStatus;
  readonly events: readonly StoredEvent[];
}

/** A migrated test database, a private BOSUN_HOME, and a fixture location (the engine's by default), for one test file. */
export interface EngineHarness {
  readonly db: TestStorage;
  readonly home: string;
  readonly origin: CodeOrigin;
  readonly definitions: Definitions;
  readonly childEnv: Record<string, string>;
  launch(
    request: Omit<LaunchRequest, "status">,
    signal?: AbortSignal,
    computeLogs?: ComputeLogSettings,
  ): Promise<RunOutcome>;
  reexecute(parentRunId: string, mode: ReexecutionMode, stepKeys?: string[]): Promise<RunOutcome>;
  close(): Promise<void>;
}

export async function startEngineHarness(fixture: string = ENGINE_FIXTURE): Promise<EngineHarness> {
  const db = await createTestStorage();
  const home = await mkdtemp(path.join(tmpdir(), "bosun-home-"));
  // The fixture steers its behaviour through files under BOSUN_HOME, in this process and in workers.
  process.env.BOSUN_HOME = home;
  const origin: CodeOrigin = { file: fixture };
  const definitions = await loadDefinitions(origin);
  const requests = new RunRequests({
    storage: db.storage,
    locations: inProcessLocation(definitions, origin),
  });
  const childEnv = { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home };
  const execute = async (
    run: RunRecord,
    signal?: AbortSignal,
    computeLogs?: ComputeLogSettings,
  ): Promise<RunOutcome> => {
    const status = await executeRun({
      storage: db.storage,
      bosunHome: home,
      runId: run.runId,
      origin,
      definitions,
      childEnv,
      signal,
      ...(computeLogs ? { computeLogs } : {}),
    });
    return {
      run: (await db.storage.runs.getRun(run.runId))!,
      status,
      events: await db.storage.events.getEvents(run.runId),
    };
  };
  return {
    db,
    home,
    origin,
    definitions,
    childEnv,
    launch: async (request, signal, computeLogs) =>
      execute(await requests.launch({ ...request, status: "NOT_STARTED" }), signal, computeLogs),
    reexecute: async (parentRunId, mode, stepKeys) =>
      execute(
        await requests.reexecute({
          parentRunId,
          mode,
          stepKeys,
          status: "NOT_STARTED",
        }),
      ),
    close: async () => {
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export function eventsOfType<T extends StoredEvent["type"]>(
  events: readonly StoredEvent[],
  type: T,
): Extract<StoredEvent, { type: T }>[] {
  return events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === type);
}

export function stepEvents(events: readonly StoredEvent[], stepKey: string): string[] {
  return events.filter((e) => e.stepKey === stepKey).map((e) => e.type);
}
