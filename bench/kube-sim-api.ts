/**
 * kube-sim API throughput: requests per second for `create` (POST a ConfigMap) and `list`
 * (GET 100 ConfigMaps), over keep-alive HTTP from this process with 8 requests in flight. The
 * floor is a bare node:http server answering the same list body, measured in the same run.
 *
 *   npx tsx bench/kube-sim-api.ts [seconds-per-phase]
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startKubeSim } from "@bosun/kube-sim";

const SECONDS = Number(process.argv[2] ?? 3);
const CONCURRENCY = 8;

async function measure(label: string, request: (i: number) => Promise<Response>): Promise<number> {
  let done = 0;
  let failed = 0;
  let issued = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const response = await request(issued++);
        await response.arrayBuffer();
        if (response.ok) done++;
        else failed++;
      }
    }),
  );
  const rate = done / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(28)} ${rate.toFixed(0).padStart(7)} req/s  (${done} ok, ${failed} failed)`);
  return rate;
}

const sim = await startKubeSim({ kubelet: false });
try {
  const base = `${sim.server}/api/v1/namespaces`;
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${sim.token}` };
  await fetch(base, { method: "POST", headers, body: JSON.stringify({ metadata: { name: "bench-list" } }) });
  for (let i = 0; i < 100; i++) {
    await fetch(`${base}/bench-list/configmaps`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        metadata: { name: `cm-${i}`, labels: { app: "bench" } },
        data: { key: "value".repeat(10) },
      }),
    });
  }
  await fetch(base, {
    method: "POST",
    headers,
    body: JSON.stringify({ metadata: { name: "bench-create" } }),
  });
  const listBody = await (await fetch(`${base}/bench-list/configmaps`, { headers })).text();

  const floorServer = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(listBody) });
    res.end(listBody);
  });
  await new Promise<void>((resolve) => floorServer.listen(0, "127.0.0.1", resolve));
  const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}/`;
  await measure("warm-up (floor, discarded)", () => fetch(floorUrl));
  const floor = await measure("floor (static list body)", () => fetch(floorUrl));

  const create = await measure("create ConfigMap", (i) =>
    fetch(`${base}/bench-create/configmaps`, {
      method: "POST",
      headers,
      body: JSON.stringify({ metadata: { name: `cm-${i}` }, data: { key: "value" } }),
    }),
  );
  const list = await measure("list 100 ConfigMaps", () =>
    fetch(`${base}/bench-list/configmaps`, { headers }),
  );
  const selected = await measure("list with labelSelector", () =>
    fetch(`${base}/bench-list/configmaps?labelSelector=app%3Dbench`, { headers }),
  );
  const floorAfter = await measure("floor again", () => fetch(floorUrl));
  floorServer.close();
  console.log(`floor varied by ${(((floorAfter - floor) / floor) * 100).toFixed(0)}% between start and end`);
  console.log(
    `ratios to floor: create ${(create / floor).toFixed(2)}, list ${(list / floor).toFixed(2)}, list+selector ${(selected / floor).toFixed(2)}`,
  );
} finally {
  await sim.stop();
}
