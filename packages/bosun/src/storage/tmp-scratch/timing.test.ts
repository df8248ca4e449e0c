import { it } from "vitest";
import { createTestStorage } from "../../../../../test-support/index.ts";
it("timing", async () => {
  let t = performance.now();
  const db = await createTestStorage();
  console.log("create", performance.now() - t); t = performance.now();
  const other = await db.openAnother();
  const sub = await other.events.watchEvents("x", 0, () => {});
  console.log("another+watch", performance.now() - t); t = performance.now();
  await sub.close();
  console.log("subclose", performance.now() - t); t = performance.now();
  await other.close();
  console.log("otherclose", performance.now() - t); t = performance.now();
  await db.drop();
  console.log("drop", performance.now() - t);
}, 60000);
