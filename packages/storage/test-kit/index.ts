/**
 * @bosun/storage/test-kit: the contract suites every storage implementation must pass.
 *
 * May depend on: any Bosun package, through its public entries (test code sits above the layers of
 * .dependency-cruiser.cjs).
 */
