import { createTestStorage } from "@bosun/test-support";
import { describeStorageContract } from "../../test-kit/storage-contract.ts";

describeStorageContract("PostgresStorage", async () => {
  const db = await createTestStorage();
  return { storage: db.storage, openAnother: db.openAnother, dispose: db.drop };
});
