import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const COMMON: Options = {
  // Unknown fields are errors (reported with a suggestion), never silently dropped.
  removeAdditional: false,
  allErrors: true,
  // Errors carry the offending value and its schema, for "did you mean" messages.
  verbose: true,
  useDefaults: true,
  // Route schemas carry documentation keywords (summary, examples...).
  strict: false,
};

/**
 * Request validation: query strings, path parameters and headers are text, so they are coerced (`limit=5`
 * is a number, a single `status=X` is a one-item list); JSON bodies are taken as typed, so `{"count": "3"}`
 * where a number is expected is an error, not a guess.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = addFormats(new Ajv({ ...COMMON, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...COMMON, coerceTypes: "array" }));
  return ({ schema, httpPart }) => {
    const validate = (httpPart === "body" ? strict : coercing).compile(schema as object);
    return validate as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
