import net from "node:net";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage } from "./open-storage.ts";
import { StorageUnavailableError } from "./storage-errors.ts";

describe("openStorage", () => {
  let db: TestStorage;
  let url: URL;
  beforeAll(async () => {
    db = await createTestStorage();
    url = new URL(db.databaseUrl);
  });
  afterAll(() => db.drop());

  const database = () => decodeURIComponent(url.pathname.slice(1));
  /** A `fields` storage config for the test database, its password in the environment variable named. */
  const fieldsConfig = (passwordEnv: string, params: Record<string, string>) => ({
    kind: "fields" as const,
    host: url.hostname,
    port: Number(url.port),
    username: decodeURIComponent(url.username),
    database: database(),
    passwordEnv,
    params,
  });

  it("connects with a URL from the config and describes it without the password", async () => {
    const storage = await openStorage({ kind: "url", url: db.databaseUrl }, { env: {} });
    try {
      expect(storage.describe()).toBe(`${url.hostname}:${url.port}/${database()}`);
      expect(storage.describe()).not.toContain(decodeURIComponent(url.password));
      expect(await storage.runs.getRun("none")).toBeNull();
    } finally {
      await storage.close();
    }
  });

  it("connects with fields, reading the password from the named environment variable", async () => {
    const storage = await openStorage(fieldsConfig("MY_PG_SECRET", { application_name: "bosun-test" }), {
      env: { MY_PG_SECRET: decodeURIComponent(url.password) },
    });
    try {
      await storage.runs.createRun({ runId: `fields-${Date.now()}`, jobName: "j", status: "QUEUED" });
      expect(storage.childProcessEnv().BOSUN_DATABASE_URL).toContain(`/${database()}`);
    } finally {
      await storage.close();
    }
  });

  it("prefers BOSUN_DATABASE_URL given by a parent process over the config", async () => {
    const storage = await openStorage(
      { kind: "url", url: "postgres://nobody@127.0.0.1:1/nothing" },
      { env: { BOSUN_DATABASE_URL: db.databaseUrl } },
    );
    try {
      expect(storage.describe()).toBe(`${url.hostname}:${url.port}/${database()}`);
    } finally {
      await storage.close();
    }
  });

  it("fails on a port nobody listens on with StorageUnavailableError naming host, port and database", async () => {
    const port = await unusedPort();
    const wrong = new URL(db.databaseUrl);
    wrong.port = String(port);
    const error = await openStorage({ kind: "url", url: wrong.toString() }, { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`127.0.0.1:${port}/${database()}`);
    expect(message).toMatch(/connection refused/);
    expect(message).not.toContain(decodeURIComponent(url.password));
  });

  it("fails on a wrong password without ever showing it", async () => {
    const secret = "Wrong-Secret-4711";
    const error = await openStorage(fieldsConfig("BOSUN_PG_PASSWORD", {}), {
      env: { BOSUN_PG_PASSWORD: secret },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`${url.hostname}:${url.port}/${database()}`);
    expect(message).toMatch(/authentication failed/);
    expect(message).toContain("$BOSUN_PG_PASSWORD");
    expect(message).not.toContain(secret);
    expect(String((error as Error).cause)).not.toContain(secret);
  });

  it("says which variable was missing when no password was given", async () => {
    const error = await openStorage(fieldsConfig("UNSET_PG_PASSWORD", {}), { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/\$UNSET_PG_PASSWORD is not set/);
  });

  it("fails on a database that does not exist", async () => {
    const wrong = new URL(db.databaseUrl);
    wrong.pathname = "/no_such_database_here";
    const error = await openStorage({ kind: "url", url: wrong.toString() }, { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/\/no_such_database_here: the database does not exist/);
  });
});

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
