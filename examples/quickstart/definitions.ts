/**
 * Bosun's quickstart code location.
 *
 *   bosun job execute -f examples/quickstart/definitions.ts -j numbers_job
 *   bosun asset materialize -f examples/quickstart/definitions.ts --select "revenue_by_region+"
 *   bosun asset materialize -f examples/quickstart/definitions.ts --select daily_orders --partition 2024-05-02
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { asset, assetJob, dailyPartitions, defineDefinitions, input, job, md, op, schedule } from "bosun";
import { z } from "zod";

const ORDERS_CSV = fileURLToPath(new URL("./data/orders.csv", import.meta.url));

interface Order {
  orderId: number;
  customer: string;
  region: string;
  amount: number;
  orderedAt: string;
}

function parseOrders(csv: string): Order[] {
  const [, ...lines] = csv.trim().split("\n");
  return lines.map((line) => {
    const [orderId, customer, region, amount, orderedAt] = line.split(",");
    return {
      orderId: Number(orderId),
      customer: customer!,
      region: region!,
      amount: Number(amount),
      orderedAt: orderedAt!,
    };
  });
}

// ---- Assets: read a CSV, transform it, write a report ----

export const rawOrders = asset({
  key: "raw_orders",
  group: "sales",
  description: "Orders read from the CSV shipped with the example",
  run: async (ctx) => {
    const orders = parseOrders(await readFile(ORDERS_CSV, "utf8"));
    ctx.addOutputMetadata({ rows: orders.length, source: md.path(ORDERS_CSV) });
    return orders;
  },
});

export const revenueByRegion = asset({
  key: "revenue_by_region",
  group: "sales",
  description: "Total order amount per region",
  // `raw_orders` is passed to run, typed Order[] from rawOrders.
  deps: { raw_orders: rawOrders },
  run: async (ctx, { raw_orders }) => {
    const totals: Record<string, number> = {};
    for (const order of raw_orders) totals[order.region] = (totals[order.region] ?? 0) + order.amount;
    const rows = Object.entries(totals).sort(([a], [b]) => a.localeCompare(b));
    ctx.addOutputMetadata({
      regions: rows.length,
      total: Math.round(rows.reduce((sum, [, amount]) => sum + amount, 0) * 100) / 100,
      preview: md.table(
        ["region", "revenue"],
        rows.map(([region, amount]) => [region, Math.round(amount * 100) / 100]),
      ),
    });
    return totals;
  },
});

const revenueReport = asset({
  key: ["reports", "revenue_report"],
  group: "reports",
  deps: { revenue_by_region: revenueByRegion },
  description: "Writes the revenue per region as JSON under $BOSUN_HOME/reports",
  run: async (ctx, { revenue_by_region }) => {
    const directory = path.join(process.env.BOSUN_HOME ?? ".bosun", "reports");
    await mkdir(directory, { recursive: true });
    const file = path.join(directory, "revenue.json");
    await writeFile(file, `${JSON.stringify(revenue_by_region, null, 2)}\n`);
    ctx.log.info("wrote revenue report", { file });
    ctx.addOutputMetadata({ file: md.path(file), bytes: JSON.stringify(revenue_by_region).length });
    return { file };
  },
});

const dailyOrders = asset({
  key: "daily_orders",
  group: "sales",
  description: "Orders of one day (daily partitions)",
  partitions: dailyPartitions({ startDate: "2024-05-01" }),
  deps: { raw_orders: rawOrders },
  run: async (ctx, { raw_orders }) => {
    const day = raw_orders.filter((order) => order.orderedAt === ctx.partitionKey);
    ctx.addOutputMetadata({ orders: day.length, amount: day.reduce((sum, o) => sum + o.amount, 0) });
    return day;
  },
});

// ---- A job with fan-out and fan-in, and an op that succeeds on retry ----

export const generateNumbers = op({
  name: "generate_numbers",
  config: z.object({ count: z.number().int().positive().default(5) }),
  run: async (ctx) => Array.from({ length: ctx.config.count }, (_, i) => i + 1),
});

export const sumOf = op({
  name: "sum_of",
  ins: { numbers: input<number[]>() },
  run: async (_ctx, { numbers }) => numbers.reduce((a, b) => a + b, 0),
});

const squaresOf = op({
  name: "squares_of",
  ins: { numbers: input<number[]>() },
  run: async (_ctx, { numbers }) => numbers.reduce((a, b) => a + b * b, 0),
});

const maxOf = op({
  name: "max_of",
  ins: { numbers: input<number[]>() },
  run: async (_ctx, { numbers }) => Math.max(...numbers),
});

/** Fails on its first attempt, as a flaky network call would, and succeeds when retried. */
const flakyFetch = op({
  name: "flaky_fetch",
  retryPolicy: { maxRetries: 2, delayMs: 200 },
  run: async (ctx) => {
    if (ctx.retryNumber === 0) throw new Error("upstream service timed out (first attempt always fails)");
    console.log(`fetched on retry ${ctx.retryNumber}`);
    return 100;
  },
});

export const combine = op({
  name: "combine",
  ins: { parts: input<number[]>(), bonus: input<number>() },
  run: async (ctx, { parts, bonus }) => {
    const total = parts.reduce((a, b) => a + b, 0) + bonus;
    ctx.log.info("combined", { parts: parts.length, total });
    console.log(`total = ${total}`);
    return total;
  },
});

export const numbersJob = job({
  name: "numbers_job",
  description: "Fans one list out to three ops and back into one total, with a retried fetch",
  tags: { team: "examples" },
  build: () => {
    const numbers = generateNumbers();
    combine({ parts: [sumOf({ numbers }), squaresOf({ numbers }), maxOf({ numbers })], bonus: flakyFetch() });
  },
});

export const salesJob = assetJob({ name: "sales_job", selection: "+reports/revenue_report" });

export default defineDefinitions({
  jobs: [numbersJob, salesJob],
  assets: [rawOrders, revenueByRegion, revenueReport, dailyOrders],
  schedules: [schedule({ name: "hourly_numbers", cron: "0 * * * *", job: numbersJob })],
});
