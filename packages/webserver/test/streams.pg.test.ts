import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingStorage } from "./support/counting-storage.ts";
import { openSse, type SseFrame } from "./support/sse-client.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

let h: WebserverHarness;
beforeAll(async () => {
  h = await startWebserverHarness();
});
afterAll(() => h?.close());

async function launch(body: Record<string, unknown>): Promise<string> {
  const response = await h.api("POST", "/api/runs", { location: "main", ...body });
  expect(response.status).toBe(201);
  return response.body.run.runId;
}

const isEnd = (frame: SseFrame) => frame.event === "end";
const eventFrames = (frames: readonly SseFrame[]) => frames.filter((f) => f.event === "message");

async function storedSeqs(runId: string): Promise<number[]> {
  return (await h.db.storage.events.getEvents(runId)).map((e) => e.seq);
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("run event stream", () => {
  it("delivers every event of a run in order, stored then live, while the engine executes it", async () => {
    const runId = await launch({ job: "sum_job", runConfig: { ops: { numbers: { config: { count: 6 } } } } });
    const stream = await openSse(`${h.server.url}/api/runs/${runId}/events/stream`);
    expect(stream.status).toBe(200);
    const [frames, status] = await Promise.all([stream.readUntil(isEnd), h.execute(runId)]);
    stream.close();
    expect(status).toBe("SUCCESS");
    const events = eventFrames(frames).map((f) => JSON.parse(f.data));
    expect(events.map((e) => e.seq)).toEqual(await storedSeqs(runId));
    expect(eventFrames(frames).map((f) => Number(f.id))).toEqual(events.map((e) => e.seq));
    expect(events[0].type).toBe("RUN_ENQUEUED");
    expect(events.at(-1).type).toBe("RUN_SUCCESS");
    expect(events.filter((e) => e.type === "STEP_SUCCESS").map((e) => e.stepKey)).toEqual([
      "numbers",
      "total",
      "report",
    ]);
    expect(frames.at(-1)).toMatchObject({ event: "end" });
  });

  it("resumes after Last-Event-ID without gaps or repeats", async () => {
    const runId = await launch({ job: "failing_job" });
    const first = await openSse(`${h.server.url}/api/runs/${runId}/events/stream`);
    const execution = h.execute(runId);
    const before = await first.readUntil(
      (f) => f.event === "message" && JSON.parse(f.data).type === "STEP_START",
    );
    first.close();
    const lastId = before.at(-1)!.id!;
    const second = await openSse(`${h.server.url}/api/runs/${runId}/events/stream`, {
      "last-event-id": lastId,
    });
    const after = await second.readUntil(isEnd);
    second.close();
    expect(await execution).toBe("FAILURE");
    const seqs = [...eventFrames(before), ...eventFrames(after)].map((f) => Number(f.id));
    expect(seqs).toEqual(await storedSeqs(runId));
  });

  it("replays a finished run's events after afterSeq and ends", async () => {
    const runId = await launch({ job: "sum_job" });
    await h.execute(runId);
    const all = await storedSeqs(runId);
    const stream = await openSse(`${h.server.url}/api/runs/${runId}/events/stream?afterSeq=${all[2]}`);
    const frames = await stream.readUntil(isEnd);
    expect(eventFrames(frames).map((f) => Number(f.id))).toEqual(all.slice(3));
    expect(await stream.next()).toBeNull();
  });

  it("sends heartbeat comments and closes its storage subscription when the client goes away", async () => {
    const counting = countingStorage(h.db.storage);
    const server = await h.startAnother({ storage: counting.storage });
    const runId = await launch({ job: "sum_job" });
    const stream = await openSse(`${server.url}/api/runs/${runId}/events/stream`);
    const [enqueued] = await stream.readUntil(() => true);
    expect(JSON.parse(enqueued!.data).type).toBe("RUN_ENQUEUED");
    await eventually(() => counting.open() === 1);
    // Heartbeats every 200 ms in tests: wait for one to arrive after the first frame.
    const heartbeat = stream.next();
    await eventually(() => stream.comments.includes("heartbeat"));
    stream.close();
    await heartbeat.catch(() => null);
    await eventually(() => counting.open() === 0);
  });
});

describe("compute log stream", () => {
  it("streams a step's stdout live and ends after the run", async () => {
    const runId = await launch({ job: "sum_job", runConfig: { ops: { numbers: { config: { count: 5 } } } } });
    const stream = await openSse(`${h.server.url}/api/runs/${runId}/logs/total/stdout/stream`);
    const [frames] = await Promise.all([stream.readUntil(isEnd), h.execute(runId)]);
    stream.close();
    const chunks = eventFrames(frames).map((f) => JSON.parse(f.data));
    expect(chunks.map((c) => c.data).join("")).toBe("total=15\n");
    expect(Number(eventFrames(frames).at(-1)!.id)).toBe(chunks.at(-1).nextOffset);
  });

  it("resumes a log stream from Last-Event-ID (a byte offset)", async () => {
    const runId = await launch({ job: "sum_job", runConfig: { ops: { numbers: { config: { count: 2 } } } } });
    await h.execute(runId);
    const stream = await openSse(`${h.server.url}/api/runs/${runId}/logs/numbers/stdout/stream`, {
      "last-event-id": "7",
    });
    const frames = await stream.readUntil(isEnd);
    expect(
      eventFrames(frames)
        .map((f) => JSON.parse(f.data).data)
        .join(""),
    ).toBe("2 numbers\n");
  });

  it("closes the log subscription when the client goes away", async () => {
    const counting = countingStorage(h.db.storage);
    const server = await h.startAnother({ storage: counting.storage });
    const runId = await launch({ job: "sum_job" });
    const stream = await openSse(`${server.url}/api/runs/${runId}/logs/total/stdout/stream`);
    await eventually(() => counting.open() === 1);
    stream.close();
    await eventually(() => counting.open() === 0);
  });
});
