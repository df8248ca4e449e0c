/**
 * @bosun/storage/test-kit: the contract suites every storage implementation must pass (vitest suites;
 * import them from a test file and hand them a harness that opens your implementation).
 *
 * May depend on: any Bosun package, through its public entries (test code sits above the layers of
 * .dependency-cruiser.cjs).
 */

// Contract suites

export { describeDaemonStorageContract } from "./daemon-storage-contract.ts";
export { describeLaunchStorageContract } from "./launch-storage-contract.ts";
export { describeRetentionStorageContract } from "./retention-storage-contract.ts";
export { describeStorageContract, type StorageContractHarness } from "./storage-contract.ts";
