import { configProblems } from "@bosun/test-support";
import { describe, expect, it } from "vitest";
import { DaemonConfigError, parseDaemonSettings } from "./daemon-config.ts";

function problems(raw: Record<string, unknown>): readonly string[] {
  return configProblems(DaemonConfigError, () => parseDaemonSettings(raw));
}

describe("daemon sections of bosun.yaml", () => {
  it("defaults every field", () => {
    expect(parseDaemonSettings({})).toEqual({
      runCoordinator: {
        maxConcurrentRuns: 10,
        tagConcurrencyLimits: [],
        dequeueIntervalMs: 5000,
        maxParallelLaunches: 8,
        unreachableLocationGraceMs: 60_000,
      },
      runLauncher: { kind: "default", logDirectory: null },
      runMonitoring: {
        enabled: true,
        pollIntervalMs: 30_000,
        startTimeoutMs: 180_000,
        cancelTimeoutMs: 180_000,
        workerHeartbeatIntervalMs: 1_000,
        workerHeartbeatTimeoutMs: 4_000,
      },
      scheduler: { enabled: true, maxCatchupRuns: 1, maxIntervalMs: 30_000, staleTickMs: 300_000 },
      sensors: { enabled: true, intervalMs: 5000, staleEvaluationMs: 300_000 },
      retention: {
        enabled: true,
        intervalMs: 3_600_000,
        schedule: { SKIPPED: null, SUCCESS: null, FAILURE: null },
        sensor: { SKIPPED: 7 * 86_400_000, SUCCESS: null, FAILURE: null },
        runs: { purgeAfterMs: null },
        audit: { purgeAfterMs: 365 * 86_400_000 },
        closedDeployments: { purgeAfterMs: 30 * 86_400_000 },
      },
    });
  });

  it("reads tag limits in all three forms and -1 as no instance limit", () => {
    const settings = parseDaemonSettings({
      run_coordinator: {
        max_concurrent_runs: -1,
        tag_concurrency_limits: [
          { key: "gpu", limit: 1 },
          { key: "db", value: "warehouse", limit: 2 },
          { key: "team", value: { applyLimitPerUniqueValue: true }, limit: 3 },
          { key: "env", value: { apply_limit_per_unique_value: true }, limit: 4 },
        ],
      },
    });
    expect(settings.runCoordinator.maxConcurrentRuns).toBeNull();
    expect(settings.runCoordinator.tagConcurrencyLimits).toEqual([
      { key: "gpu", limit: 1 },
      { key: "db", value: "warehouse", limit: 2 },
      { key: "team", limit: 3, perUniqueValue: true },
      { key: "env", limit: 4, perUniqueValue: true },
    ]);
  });

  it("names the field path and the nearest valid key for a misspelt key, at any depth", () => {
    expect(problems({ run_coordinator: { max_concurent_runs: 3 } })).toEqual([
      'run_coordinator.max_concurent_runs: unknown key (did you mean "max_concurrent_runs"?)',
    ]);
    expect(
      problems({ run_coordinator: { tag_concurrency_limits: [{ key: "a", limit: 1, valeu: "x" }] } }),
    ).toEqual(['run_coordinator.tag_concurrency_limits.0.valeu: unknown key (did you mean "value"?)']);
    expect(problems({ scheduler: { max_catchup_run: 2 } })).toEqual([
      'scheduler.max_catchup_run: unknown key (did you mean "max_catchup_runs"?)',
    ]);
    expect(problems({ run_monitoring: { start_timeout: 5 } })[0]).toContain(
      'did you mean "start_timeout_seconds"?',
    );
  });

  it("says what was expected for a wrong value", () => {
    expect(problems({ run_coordinator: { max_concurrent_runs: "ten" } })).toEqual([
      "run_coordinator.max_concurrent_runs: expected number",
    ]);
    expect(problems({ scheduler: { max_catchup_runs: 0 } })[0]).toMatch(/^scheduler\.max_catchup_runs: /);
    expect(
      problems({
        run_coordinator: { tag_concurrency_limits: [{ key: "a", value: { perValue: true }, limit: 1 }] },
      })[0],
    ).toMatch(/^run_coordinator\.tag_concurrency_limits\.0\.value/);
    expect(
      problems({
        run_monitoring: { worker_heartbeat_interval_seconds: 60, worker_heartbeat_timeout_seconds: 30 },
      }),
    ).toEqual([
      "run_monitoring.worker_heartbeat_timeout_seconds: worker_heartbeat_timeout_seconds must be longer than worker_heartbeat_interval_seconds",
    ]);
  });

  it("takes a Kubernetes launcher's section as it is, for the Kubernetes package to validate", () => {
    expect(parseDaemonSettings({ run_launcher: { k8s: { namespace: "data" } } }).runLauncher).toEqual({
      kind: "k8s",
      config: { namespace: "data" },
    });
  });
});
