import type {
  CodeLocationClient,
  ExecutionPlanRequest,
  ExecutionPlanResult,
  InstigatorEvaluation,
  JobSnapshot,
  LocationEntry,
  ScheduleSnapshot,
  SensorSnapshot,
  Workspace,
} from "@bosun/code-server";

/**
 * An in-memory workspace for tests of the daemon's loop logic (no code server process): its locations,
 * schedules and sensors are plain data, and evaluations are functions the test supplies. End-to-end tests
 * use the real workspace instead.
 */
export interface FakeLocation {
  readonly name: string;
  readonly jobs?: readonly Partial<JobSnapshot>[];
  readonly schedules?: readonly ScheduleSnapshot[];
  readonly sensors?: readonly SensorSnapshot[];
  readonly status?: LocationEntry["status"];
  /** With status ERROR: the server did not answer (rather than the code failing to load). */
  readonly unreachable?: boolean;
  readonly evaluateSchedule?: (
    name: string,
    scheduledTime: Date,
  ) => Promise<InstigatorEvaluation> | InstigatorEvaluation;
  readonly evaluateSensor?: (
    name: string,
    cursor: string | null,
    lastRunKey: string | null,
  ) => Promise<InstigatorEvaluation> | InstigatorEvaluation;
  readonly executionPlan?: (request: ExecutionPlanRequest) => ExecutionPlanResult;
}

export class FakeWorkspace implements Workspace {
  private readonly entries = new Map<string, LocationEntry>();
  private readonly locations = new Map<string, FakeLocation>();
  /** Calls made through the clients, for assertions. */
  readonly calls: { location: string; method: string; args: unknown[] }[] = [];

  constructor(locations: readonly FakeLocation[]) {
    for (const location of locations) this.set(location);
  }

  set(location: FakeLocation): void {
    this.locations.set(location.name, location);
    this.entries.set(location.name, {
      name: location.name,
      status: location.status ?? "LOADED",
      address: "in-memory",
      serverId: "fake",
      error:
        location.status !== "ERROR"
          ? null
          : location.unreachable
            ? {
                className: "CodeLocationUnavailableError",
                message: `code location "${location.name}" at fake:4000 is unreachable`,
                stack: null,
                cause: null,
              }
            : { className: "Error", message: "fake load error", stack: null, cause: null },
      updatedAt: new Date(),
      snapshot: {
        contentHash: "fake",
        origin: { file: `/nonexistent/${location.name}.ts` },
        containerContext: null,
        jobs: (location.jobs ?? [{ name: "fake_job" }]).map((job) => ({
          name: job.name ?? "fake_job",
          description: null,
          tags: job.tags ?? {},
          executor: null,
          defaultRunConfig: {},
          partitions: null,
          assetKeys: [],
          nodes: [],
          runConfigSchema: {},
        })),
        assets: [],
        schedules: location.schedules ?? [],
        sensors: location.sensors ?? [],
        resources: [],
      },
    });
  }

  list(): readonly LocationEntry[] {
    return [...this.entries.values()];
  }

  get(name: string): LocationEntry | undefined {
    return this.entries.get(name);
  }

  client(name: string): CodeLocationClient {
    const location = this.locations.get(name);
    if (!location) throw new Error(`no location ${name}`);
    const record = (method: string, args: unknown[]) => this.calls.push({ location: name, method, args });
    return {
      ping: async () => ({ serverId: "fake" }),
      snapshot: async () => ({ snapshot: this.entries.get(name)!.snapshot! }),
      executionPlan: async (request) => {
        record("executionPlan", [request]);
        return (
          location.executionPlan?.(request) ?? {
            ok: true,
            jobName: request.jobName,
            stepKeys: ["only"],
            assetKeys: [],
            steps: [{ key: "only", upstream: [] }],
          }
        );
      },
      evaluateSchedule: async (schedule, time) => {
        record("evaluateSchedule", [schedule, time]);
        if (!location.evaluateSchedule)
          return { ok: true, runRequests: [{}], skipReason: null, cursor: null };
        return location.evaluateSchedule(schedule, time);
      },
      evaluateSensor: async (sensor, cursor, lastRunKey) => {
        record("evaluateSensor", [sensor, cursor, lastRunKey]);
        if (!location.evaluateSensor)
          return { ok: true, runRequests: [], skipReason: "nothing", cursor: null };
        return location.evaluateSensor(sensor, cursor, lastRunKey);
      },
      shutdown: async () => {},
      close: () => {},
    };
  }

  async reload(name: string): Promise<LocationEntry> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`no location ${name}`);
    return entry;
  }

  onChange(): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}

export function scheduleSnapshot(overrides: Partial<ScheduleSnapshot> & { name: string }): ScheduleSnapshot {
  return {
    cron: "* * * * *",
    timezone: "UTC",
    jobName: "fake_job",
    description: null,
    defaultStatus: "RUNNING",
    ...overrides,
  };
}

export function sensorSnapshot(overrides: Partial<SensorSnapshot> & { name: string }): SensorSnapshot {
  return {
    jobName: "fake_job",
    minimumIntervalSeconds: 30,
    description: null,
    defaultStatus: "RUNNING",
    ...overrides,
  };
}
