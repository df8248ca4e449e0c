import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestStorage, runBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A port nothing listens on: one the system just gave out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("bosun queue worker at start", () => {
  let db: TestStorage;
  let home: string;
  beforeAll(async () => {
    db = await createTestStorage();
    home = await mkdtemp(path.join(tmpdir(), "bosun-queue-worker-"));
  });
  afterAll(async () => {
    await db.drop();
    await rm(home, { recursive: true, force: true });
  });

  it("fails naming the Redis host and port it cannot reach, never the password", async () => {
    const port = await closedPort();
    await writeFile(
      path.join(home, "bosun.yaml"),
      `queues:\n  backend: redis\n  redis:\n    url: redis://127.0.0.1:${port}\n    password_env: QUEUE_TEST_REDIS_PASSWORD\n`,
    );
    const result = await runBosun(["queue", "worker", "--queue", "default"], {
      BOSUN_HOME: home,
      BOSUN_DATABASE_URL: db.databaseUrl,
      QUEUE_TEST_REDIS_PASSWORD: "hunter2-secret",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`cannot reach the queues' Redis server at 127.0.0.1:${port}`);
    expect(result.stderr + result.stdout).not.toContain("hunter2-secret");
  }, 120_000);
});
