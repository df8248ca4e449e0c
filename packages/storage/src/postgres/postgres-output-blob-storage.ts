import type { Kysely } from "kysely";
import type { OutputBlobStorage } from "../storage.ts";
import type { Database } from "./database.ts";

export class PostgresOutputBlobStorage implements OutputBlobStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async put(runId: string, stepKey: string, outputName: string, bytes: Uint8Array): Promise<void> {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await this.db
      .insertInto("output_blobs")
      .values({ run_id: runId, step_key: stepKey, output_name: outputName, data })
      .onConflict((oc) =>
        oc.columns(["run_id", "step_key", "output_name"]).doUpdateSet({ data, created_at: new Date() }),
      )
      .execute();
  }

  async get(runId: string, stepKey: string, outputName: string): Promise<Uint8Array | null> {
    const row = await this.db
      .selectFrom("output_blobs")
      .select("data")
      .where("run_id", "=", runId)
      .where("step_key", "=", stepKey)
      .where("output_name", "=", outputName)
      .executeTakeFirst();
    return row ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null;
  }
}
