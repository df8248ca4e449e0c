import { deserialize, serialize } from "node:v8";

/**
 * Outputs are stored with the structured clone format, so Dates, Maps, Sets, typed arrays and bigints
 * survive the trip. Functions and class instances' prototypes do not: return plain data from steps.
 */
export function encodeValue(value: unknown): Uint8Array {
  return serialize(value);
}

export function decodeValue(bytes: Uint8Array): unknown {
  return deserialize(bytes);
}
