/** @bosun/storage/test-kit: the contract suites every storage implementation must pass. */

