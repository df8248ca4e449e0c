import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFingerprint } from "./support/database-fingerprint.ts";
import { type RawRequest, type RawResponse, rawRequest } from "./support/raw-http.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

/**
 * Malformed requests, one table: each must get a 4xx in the API's one error shape whose issues name the
 * field at fault, and none may change anything stored (every table's rows are fingerprinted before and
 * after). Several of these used to reach the database or a code server and come back as 500 or 503.
 */

let h: WebserverHarness;
let runId: string;
let baseline: Record<string, string>;

beforeAll(async () => {
  h = await startWebserverHarness();
  const launched = await h.api("POST", "/api/runs", { location: "main", job: "sum_job" });
  expect(launched.status).toBe(201);
  runId = launched.body.run.runId;
  expect(await h.execute(runId)).toBe("SUCCESS");
  const queued = await h.api("POST", "/api/runs", { location: "main", job: "failing_job" });
  expect(queued.status).toBe(201);
  baseline = await databaseFingerprint(h.db.databaseUrl);
}, 60_000);
afterAll(() => h?.close());

interface MalformedCase {
  readonly name: string;
  /** Built lazily: some paths need the run id made in beforeAll. */
  readonly request: () => RawRequest;
  /** The field the answer must name in details.issues. */
  readonly field: string | (() => string);
  /** A status when it must be a specific one (default: any 4xx). */
  readonly status?: number;
}

const R = () => runId;
const get = (path: string, headers?: Record<string, string>): RawRequest => ({
  method: "GET",
  path,
  ...(headers ? { headers } : {}),
});
const postJson = (path: string, body: string | Buffer, headers: Record<string, string> = {}): RawRequest => ({
  method: "POST",
  path,
  headers: { "content-type": "application/json", ...headers },
  body,
});
const launch = (body: unknown) => postJson("/api/runs", JSON.stringify(body));
/** `{"location":"main","job":"sum_job","runConfig":{"x":{"x":...{"leaf":1}}}}` as text (JSON.stringify would overflow the stack). */
const nestedLaunch = (depth: number): string =>
  `{"location":"main","job":"sum_job","runConfig":${'{"x":'.repeat(depth)}{"leaf":1}${"}".repeat(depth)}}`;
const HUGE = "1000000000000000000000000000000";
const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";

const CASES: readonly MalformedCase[] = [
  // Positions (sequence numbers, offsets, timestamps) beyond what is exact or fits a bigint.
  {
    name: "afterSeq beyond 64 bits",
    request: () => get(`/api/runs/${R()}/events?afterSeq=${HUGE}`),
    field: "query.afterSeq",
  },
  {
    name: "afterSeq of 2^53",
    request: () => get(`/api/runs/${R()}/events?afterSeq=9007199254740992`),
    field: "query.afterSeq",
  },
  {
    name: "afterSeq of 1e400",
    request: () => get(`/api/runs/${R()}/events?afterSeq=1e400`),
    field: "query.afterSeq",
  },
  {
    name: "negative afterSeq",
    request: () => get(`/api/runs/${R()}/events?afterSeq=-1`),
    field: "query.afterSeq",
  },
  {
    name: "fractional afterSeq",
    request: () => get(`/api/runs/${R()}/events?afterSeq=1.5`),
    field: "query.afterSeq",
  },
  {
    name: "afterSeq that is not a number",
    request: () => get(`/api/runs/${R()}/events?afterSeq=abc`),
    field: "query.afterSeq",
  },
  {
    name: "afterSeq given twice",
    request: () => get(`/api/runs/${R()}/events?afterSeq=1&afterSeq=2`),
    field: "query.afterSeq",
  },
  {
    name: "event stream afterSeq beyond 64 bits",
    request: () => get(`/api/runs/${R()}/events/stream?afterSeq=${HUGE}`),
    field: "query.afterSeq",
  },
  {
    name: "log offset beyond 64 bits",
    request: () => get(`/api/runs/${R()}/logs/numbers/stdout?offset=${HUGE}`),
    field: "query.offset",
  },
  {
    name: "log stream offset beyond 64 bits",
    request: () => get(`/api/runs/${R()}/logs/numbers/stdout/stream?offset=${HUGE}`),
    field: "query.offset",
  },
  {
    name: "negative log offset",
    request: () => get(`/api/runs/${R()}/logs/numbers/stderr?offset=-5`),
    field: "query.offset",
  },
  {
    name: "tick 'before' beyond 64 bits",
    request: () => get(`/api/schedules/main/hourly_sum/ticks?before=${HUGE}`),
    field: "query.before",
  },
  {
    name: "sensor tick 'before' not a number",
    request: () => get("/api/sensors/main/orders_sensor/ticks?before=yesterday"),
    field: "query.before",
  },
  {
    name: "Last-Event-ID beyond 64 bits",
    request: () => get(`/api/runs/${R()}/events/stream`, { "Last-Event-ID": HUGE }),
    field: 'headers["last-event-id"]',
  },
  {
    name: "Last-Event-ID that is not a number",
    request: () => get(`/api/runs/${R()}/events/stream`, { "Last-Event-ID": "abc" }),
    field: 'headers["last-event-id"]',
  },
  {
    name: "negative Last-Event-ID on a log stream",
    request: () => get(`/api/runs/${R()}/logs/numbers/stdout/stream`, { "Last-Event-ID": "-1" }),
    field: 'headers["last-event-id"]',
  },

  // Limits and list parameters.
  { name: "limit of 0", request: () => get("/api/runs?limit=0"), field: "query.limit" },
  { name: "limit above 1000", request: () => get("/api/runs?limit=1001"), field: "query.limit" },
  { name: "limit that is not a number", request: () => get("/api/runs?limit=ten"), field: "query.limit" },
  { name: "limit beyond 64 bits", request: () => get(`/api/runs?limit=${HUGE}`), field: "query.limit" },
  { name: "queue limit negative", request: () => get("/api/queue?limit=-1"), field: "query.limit" },
  {
    name: "tick limit too large",
    request: () => get("/api/schedules/main/hourly_sum/ticks?limit=100000"),
    field: "query.limit",
  },
  {
    name: "asset history limit of 0",
    request: () => get("/api/assets/sales/revenue?limit=0"),
    field: "query.limit",
  },
  {
    name: "event page limit of 0",
    request: () => get(`/api/runs/${R()}/events?limit=0`),
    field: "query.limit",
  },
  { name: "misspelt run status", request: () => get("/api/runs?status=SUCCES"), field: "query.status[0]" },
  {
    name: "unknown event type",
    request: () => get(`/api/runs/${R()}/events?type=STEP_STARTED`),
    field: "query.type[0]",
  },
  { name: "tag without '='", request: () => get("/api/runs?tag=noequals"), field: "query.tag[0]" },
  { name: "NUL in a tag value filter", request: () => get("/api/runs?tag=env=%00"), field: "query.tag" },
  {
    name: "NUL in the second tag filter",
    request: () => get("/api/runs?tag=a=1&tag=a%00b=1"),
    field: "query.tag[1]",
  },
  {
    name: "the same tag twice with different values",
    request: () => get("/api/runs?tag=a=1&tag=a=2"),
    field: "query.tag[1]",
  },
  { name: "NUL in the job filter", request: () => get("/api/runs?job=%00"), field: "query.job" },
  {
    name: "job filter longer than 255",
    request: () => get(`/api/runs?job=${"j".repeat(256)}`),
    field: "query.job",
  },
  {
    name: "cursor that was never handed out",
    request: () => get("/api/runs?cursor=not-a-cursor"),
    field: "query.cursor",
  },
  { name: "NUL in a cursor", request: () => get("/api/runs?cursor=%00abc"), field: "query.cursor" },
  {
    name: "createdAfter that is not a date",
    request: () => get("/api/runs?createdAfter=yesterday"),
    field: "query.createdAfter",
  },
  {
    name: "createdAfter on a leap second",
    request: () => get("/api/runs?createdAfter=2016-12-31T23:59:60Z"),
    field: "query.createdAfter",
  },
  {
    name: "createdBefore on February 30",
    request: () => get("/api/runs?createdBefore=2024-02-30T00:00:00Z"),
    field: "query.createdBefore",
  },
  { name: "unknown query parameter", request: () => get("/api/runs?colour=red"), field: "query.colour" },
  { name: "misspelt query parameter", request: () => get("/api/runs?limt=5"), field: "query.limt" },
  {
    name: "__proto__ as a query parameter",
    request: () => get("/api/runs?__proto__=x"),
    field: "query.__proto__",
  },
  {
    name: "NUL in an asset partition filter",
    request: () => get("/api/assets/raw_orders?partitionKey=%00"),
    field: "query.partitionKey",
  },
  {
    name: "NUL in an event step filter",
    request: () => get(`/api/runs/${R()}/events?step=a%00`),
    field: "query.step",
  },
  {
    name: "empty event step filter",
    request: () => get(`/api/runs/${R()}/events?step=`),
    field: "query.step",
  },
  {
    name: "lone surrogate in a query value",
    request: () => get("/api/runs?job=%ED%A0%80"),
    field: "query.job",
  },

  // Path segments.
  { name: "NUL as a run id", request: () => get("/api/runs/%00"), field: "params.id" },
  { name: "NUL in a run id", request: () => get("/api/runs/abc%00def"), field: "params.id" },
  { name: "NUL as an asset key", request: () => get("/api/assets/%00"), field: 'params["*"]' },
  {
    name: "NUL in an asset key after a slash",
    request: () => get("/api/assets/sales/%00"),
    field: 'params["*"]',
  },
  {
    name: "doubly encoded NUL in an asset key",
    request: () => get("/api/assets/%2500"),
    field: 'params["*"]',
  },
  {
    name: "asset key longer than 1024",
    request: () => get(`/api/assets/${"k".repeat(1025)}`),
    field: 'params["*"]',
  },
  { name: "NUL run id for events", request: () => get("/api/runs/%00/events"), field: "params.id" },
  {
    name: "NUL run id for an event stream",
    request: () => get("/api/runs/%00/events/stream"),
    field: "params.id",
  },
  { name: "NUL run id for logs", request: () => get("/api/runs/%00/logs"), field: "params.id" },
  {
    name: "NUL step key in a log path",
    request: () => get(`/api/runs/${R()}/logs/%00/stdout`),
    field: "params.stepKey",
  },
  {
    name: "unknown log stream name",
    request: () => get(`/api/runs/${R()}/logs/numbers/stdin`),
    field: "params.stream",
  },
  {
    name: "misspelt log stream on a live stream",
    request: () => get(`/api/runs/${R()}/logs/numbers/stdot/stream`),
    field: "params.stream",
  },
  { name: "run id longer than 128", request: () => get(`/api/runs/${"r".repeat(129)}`), field: "params.id" },
  { name: "NUL location name", request: () => get("/api/locations/%00/jobs"), field: "params.location" },
  { name: "NUL job name", request: () => get("/api/locations/main/jobs/%00"), field: "params.job" },
  {
    name: "location name longer than 255",
    request: () => get(`/api/locations/${"l".repeat(256)}/jobs`),
    field: "params.location",
  },
  { name: "NUL schedule name", request: () => get("/api/schedules/main/%00/ticks"), field: "params.name" },
  { name: "bad %-encoding in a path", request: () => get("/api/runs/%zz"), field: "path" },
  { name: "%-encoding that is not UTF-8", request: () => get("/api/runs/%C3%28"), field: "path" },
  { name: "truncated %-encoding in an asset key", request: () => get("/api/assets/%E0%A4%A"), field: "path" },
  { name: "encoded lone surrogate in a path", request: () => get("/api/runs/%ED%A0%80"), field: "path" },

  // Mutating calls: path segments and bodies.
  {
    name: "NUL location to reload",
    request: () => postJson("/api/locations/%00/reload", "{}"),
    field: "params.name",
  },
  {
    name: "NUL location of a schedule to start",
    request: () => postJson("/api/schedules/%00/hourly_sum/start", "{}"),
    field: "params.location",
  },
  {
    name: "NUL sensor name to stop",
    request: () => postJson("/api/sensors/main/%00/stop", "{}"),
    field: "params.name",
  },
  {
    name: "NUL run id to terminate",
    request: () => postJson("/api/runs/%00/terminate", "{}"),
    field: "params.id",
  },
  {
    name: "run config nested 5,000 levels deep",
    request: () => postJson("/api/runs", nestedLaunch(5000)),
    field: "body",
  },
  {
    name: "a body nested 66 levels deep",
    request: () => postJson("/api/runs", nestedLaunch(64)),
    field: "body",
  },
  {
    name: "5,000 nested arrays",
    request: () =>
      postJson("/api/runs", `{"location":"main","runConfig":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}`),
    field: "body",
  },
  {
    name: "NUL in a tag value",
    request: () => launch({ location: "main", job: "sum_job", tags: { env: `prod${NUL}` } }),
    field: "body.tags.env",
  },
  {
    name: "NUL in a tag key",
    request: () => launch({ location: "main", job: "sum_job", tags: { [`a${NUL}`]: "x" } }),
    field: `body.tags[${JSON.stringify(`a${NUL}`)}]`,
  },
  {
    name: "lone surrogate in a tag value",
    request: () => launch({ location: "main", job: "sum_job", tags: { env: LONE_SURROGATE } }),
    field: "body.tags.env",
  },
  {
    name: "NUL deep in a run config",
    request: () =>
      launch({
        location: "main",
        job: "sum_job",
        runConfig: { ops: { numbers: { config: { label: NUL } } } },
      }),
    field: "body.runConfig.ops.numbers.config.label",
  },
  {
    name: "NUL in the location",
    request: () => launch({ location: NUL, job: "sum_job" }),
    field: "body.location",
  },
  {
    name: "NUL in the job",
    request: () => launch({ location: "main", job: `sum${NUL}` }),
    field: "body.job",
  },
  {
    name: "NUL in an asset selection",
    request: () => launch({ location: "main", assetSelection: [NUL] }),
    field: "body.assetSelection[0]",
  },
  {
    name: "NUL in a partition key",
    request: () => launch({ location: "main", job: "partitioned_job", partitionKey: `eu${NUL}` }),
    field: "body.partitionKey",
  },
  {
    name: "invalid UTF-8 in a body",
    request: () =>
      postJson(
        "/api/runs",
        Buffer.concat([
          Buffer.from('{"location":"main","job":"sum_job","tags":{"a":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}}'),
        ]),
      ),
    field: "body",
  },
  { name: "a body that is not JSON", request: () => postJson("/api/runs", '{"location":'), field: "body" },
  { name: "an empty JSON body", request: () => postJson("/api/runs", ""), field: "body" },
  { name: "a JSON array as the body", request: () => postJson("/api/runs", "[]"), field: "body" },
  {
    name: "a body that is not JSON media type",
    request: () => ({
      method: "POST",
      path: "/api/runs",
      headers: { "content-type": "text/plain" },
      body: "location=main",
    }),
    field: "headers.content-type",
    status: 415,
  },
  {
    name: "a body over 1 MiB",
    request: () => launch({ location: "main", job: "sum_job", runConfig: { blob: "x".repeat(1024 * 1024) } }),
    field: "body",
    status: 413,
  },
  {
    name: "101 tags",
    request: () =>
      launch({
        location: "main",
        job: "sum_job",
        tags: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, "v"])),
      }),
    field: "body.tags",
  },
  {
    name: "a tag value over 64 KiB",
    request: () => launch({ location: "main", job: "sum_job", tags: { big: "v".repeat(65537) } }),
    field: "body.tags.big",
  },
  {
    name: "a tag key over 255 characters",
    request: () => launch({ location: "main", job: "sum_job", tags: { ["k".repeat(256)]: "v" } }),
    field: "body.tags",
  },
  {
    name: "a misspelt body field",
    request: () => launch({ location: "main", job: "sum_job", runconfig: {} }),
    field: "body.runconfig",
  },
  { name: "a missing location", request: () => launch({ job: "sum_job" }), field: "body.location" },
  {
    name: "a run config that is a string",
    request: () => launch({ location: "main", job: "sum_job", runConfig: "ops" }),
    field: "body.runConfig",
  },
  {
    name: "an empty asset selection",
    request: () => launch({ location: "main", assetSelection: [] }),
    field: "body.assetSelection",
  },
  {
    name: "both job and asset selection",
    request: () => launch({ location: "main", job: "sum_job", assetSelection: ["raw_orders"] }),
    field: "body.job",
  },
  {
    name: "__proto__ as a body key",
    request: () => postJson("/api/runs", '{"location":"main","job":"sum_job","__proto__":{"admin":true}}'),
    field: "body.__proto__",
  },
  {
    name: "a misspelt re-execution mode",
    request: () => postJson(`/api/runs/${R()}/reexecute`, '{"mode":"from_failure"}'),
    field: "body.mode",
  },
  {
    name: "NUL in a step key to re-execute",
    request: () =>
      postJson(`/api/runs/${R()}/reexecute`, JSON.stringify({ mode: "selected", stepKeys: [NUL] })),
    field: "body.stepKeys[0]",
  },
  {
    name: "1,001 step keys to re-execute",
    request: () =>
      postJson(
        `/api/runs/${R()}/reexecute`,
        JSON.stringify({ mode: "selected", stepKeys: Array.from({ length: 1001 }, (_, i) => `s${i}`) }),
      ),
    field: "body.stepKeys",
  },
  {
    name: "invalid UTF-8 in a re-execution body",
    request: () =>
      postJson(`/api/runs/${R()}/reexecute`, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
    field: "body",
  },

  // HTTP framing the parser refuses before any route.
  {
    name: "headers over 16 KiB",
    request: () => get("/api/runs", { "x-padding": "p".repeat(20 * 1024) }),
    field: "headers",
    status: 431,
  },
  {
    name: "a URL over 16 KiB",
    request: () => get(`/api/runs?job=${"j".repeat(20 * 1024)}`),
    field: "headers",
    status: 431,
  },
  {
    name: "a malformed request line",
    request: () => ({
      method: "GET",
      path: "/",
      rawHead: "GET /api/runs HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n",
    }),
    field: "request",
  },
  {
    name: "a header name with a space",
    request: () => ({
      method: "GET",
      path: "/",
      rawHead: "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n",
    }),
    field: "request",
  },
  {
    name: "a Content-Length that is not a number",
    request: () => ({
      method: "POST",
      path: "/",
      rawHead:
        "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
    }),
    field: "request",
  },
  {
    name: "two different Content-Lengths",
    request: () => ({
      method: "POST",
      path: "/",
      rawHead:
        "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    }),
    field: "request",
  },
  {
    name: "a raw non-UTF-8 byte in the path",
    request: () => ({
      method: "GET",
      path: "/",
      rawHead: Buffer.from("GET /api/runs/\xff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "latin1"),
    }),
    field: "url",
  },
  {
    name: "a raw non-UTF-8 byte in a query value",
    request: () => ({
      method: "GET",
      path: "/",
      rawHead: Buffer.from("GET /api/runs?job=\xff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "latin1"),
    }),
    field: "url",
  },
  {
    name: "a raw non-UTF-8 byte in Last-Event-ID",
    request: () => ({
      method: "GET",
      path: "/",
      rawHead: Buffer.from(
        `GET /api/runs/${R()}/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 1\xff\r\nConnection: close\r\n\r\n`,
        "latin1",
      ),
    }),
    field: 'headers["last-event-id"]',
  },
  {
    name: "a bad chunk size",
    request: () => ({
      method: "POST",
      path: "/",
      rawHead:
        "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    }),
    field: "request",
  },
];

function expectErrorShape(response: RawResponse, testCase: MalformedCase): void {
  const context = `${response.status} ${response.text.slice(0, 500)}`;
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  if (testCase.status !== undefined) expect(response.status, context).toBe(testCase.status);
  expect(response.headers["content-type"], context).toMatch(/^application\/json/);
  expect(Object.keys(response.json), context).toEqual(["error"]);
  expect(response.json.error, context).toMatchObject({
    code: expect.any(String),
    message: expect.any(String),
  });
  const field = typeof testCase.field === "function" ? testCase.field() : testCase.field;
  const fields = (response.json.error.details?.issues ?? []).map((i: { field: string }) => i.field);
  expect(fields, context).toContain(field);
}

describe("malformed requests", () => {
  it("has at least 80 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    "refuses %s with a 4xx naming the field, storing nothing",
    async (_name, testCase) => {
      const response = await rawRequest(h.server.url, testCase.request());
      expectErrorShape(response, testCase);
      expect(await databaseFingerprint(h.db.databaseUrl)).toEqual(baseline);
    },
  );
});
