import { describeStorageContract } from "@bosun/storage/test-kit";
import { createTestStorage } from "@bosun/test-support";

describeStorageContract("PostgresStorage", async () => {
  const db = await createTestStorage();
  return { storage: db.storage, openAnother: db.openAnother, dispose: db.drop };
});
