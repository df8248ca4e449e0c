import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  containerStates,
  DEFAULT_POD_START_POLICY,
  formatContainerStates,
  podProblems,
} from "./pod-diagnosis.ts";

function pod(status: V1Pod["status"], memory?: string): V1Pod {
  return {
    metadata: { name: "p", uid: "u" },
    spec: { containers: [{ name: "bosun", ...(memory ? { resources: { limits: { memory } } } : {}) }] },
    status,
  };
}
const waiting = (reason: string, message = `${reason} message`) =>
  pod({
    phase: "Pending",
    containerStatuses: [
      {
        name: "bosun",
        image: "i",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason, message } },
      },
    ],
  });

describe("podProblems", () => {
  it("finds nothing wrong with a running pod", () => {
    const running = pod({
      phase: "Running",
      containerStatuses: [
        { name: "bosun", image: "i", imageID: "", ready: true, restartCount: 0, state: { running: {} } },
      ],
    });
    expect(podProblems(running)).toEqual([]);
  });

  it("counts ImagePullBackOff at once and ErrImagePull only after its grace", () => {
    expect(podProblems(waiting("ImagePullBackOff"))).toEqual([
      {
        reason: "ImagePullBackOff",
        message: "ImagePullBackOff message",
        container: "bosun",
        graceMs: 0,
        kind: "cannot-start",
      },
    ]);
    expect(podProblems(waiting("ErrImagePull"))[0]).toMatchObject({
      graceMs: DEFAULT_POD_START_POLICY.imagePullGraceMs,
    });
  });

  it("gives CreateContainerConfigError and Unschedulable their grace periods from the policy", () => {
    const policy = { imagePullGraceMs: 1, createContainerConfigGraceMs: 2, unschedulableTimeoutMs: 3 };
    expect(podProblems(waiting("CreateContainerConfigError"), policy)[0]).toMatchObject({
      graceMs: 2,
      kind: "cannot-start",
    });
    const unschedulable = pod({
      phase: "Pending",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/1 nodes are available",
        },
      ],
    });
    expect(podProblems(unschedulable, policy)).toEqual([
      { reason: "Unschedulable", message: "0/1 nodes are available", graceMs: 3, kind: "cannot-start" },
    ]);
  });

  it("reports an OOMKilled container (now or in its last state) and CrashLoopBackOff as crashed", () => {
    const oom = pod(
      {
        phase: "Failed",
        containerStatuses: [
          {
            name: "bosun",
            image: "i",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 137, reason: "OOMKilled" } },
          },
        ],
      },
      "256Mi",
    );
    expect(podProblems(oom)).toEqual([
      {
        reason: "OOMKilled",
        message: "container bosun was killed for using more memory than its limit (256Mi) (exit code 137)",
        container: "bosun",
        graceMs: 0,
        kind: "crashed",
      },
    ]);
    const looping = pod({
      phase: "Running",
      containerStatuses: [
        {
          name: "bosun",
          image: "i",
          imageID: "",
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off" } },
          lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } },
        },
      ],
    });
    expect(podProblems(looping).map((p) => [p.reason, p.kind])).toEqual([
      ["CrashLoopBackOff", "crashed"],
      ["OOMKilled", "crashed"],
    ]);
  });

  it("reports an evicted pod", () => {
    expect(podProblems(pod({ phase: "Failed", reason: "Evicted", message: "low on memory" }))).toEqual([
      { reason: "Evicted", message: "low on memory", graceMs: 0, kind: "crashed" },
    ]);
  });
});

describe("containerStates", () => {
  it("summarises each container's state for events and messages", () => {
    const states = containerStates(waiting("ImagePullBackOff", 'Back-off pulling image "x"'));
    expect(states).toEqual([
      {
        name: "bosun",
        restartCount: 0,
        state: "waiting",
        reason: "ImagePullBackOff",
        message: 'Back-off pulling image "x"',
      },
    ]);
    expect(formatContainerStates(states)).toBe(
      'bosun: waiting (ImagePullBackOff: Back-off pulling image "x")',
    );
    expect(formatContainerStates([])).toBe("no container status yet");
  });
});
