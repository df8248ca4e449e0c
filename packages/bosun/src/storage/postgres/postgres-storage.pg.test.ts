import { createTestStorage } from "../../../../../test-support/index.ts";
import { describeStorageContract } from "../storage-contract.ts";

describeStorageContract("PostgresStorage", async () => {
  const db = await createTestStorage();
  return { storage: db.storage, openAnother: db.openAnother, dispose: db.drop };
});
