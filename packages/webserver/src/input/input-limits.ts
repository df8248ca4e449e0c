/**
 * The API's limits on request input, in one place so that schemas, checks and docs/webserver-api.md
 * ("Input limits") agree. Anything past a limit is refused with a 4xx naming the field, before storage
 * or a code server sees it.
 */
export const INPUT_LIMITS = {
  /** A JSON request body, in bytes (fastify's `bodyLimit`). */
  bodyBytes: 1024 * 1024,
  /** Nesting of arrays and objects in a JSON body: run configs are a few levels deep, never hundreds. */
  jsonDepth: 64,
  /** Sequence numbers and byte offsets: beyond this a JavaScript number is no longer exact. */
  maxSafeInteger: Number.MAX_SAFE_INTEGER,
  /** Names of locations, jobs, schedules and sensors, and tag keys. */
  nameLength: 255,
  /** Asset keys, step keys, partition keys and other free-form keys. */
  keyLength: 1024,
  /** A tag value (runs.tags is indexed with jsonb_path_ops, which hashes values, so length is no problem there). */
  tagValueLength: 65536,
  /** Tags on one run. */
  tagCount: 100,
  /** Items in assetSelection or stepKeys. */
  selectionItems: 1000,
} as const;
