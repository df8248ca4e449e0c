import { nearest } from "@bosun/core";

/**
 * A small JSON Schema validator for the subset that zod's `toJSONSchema` emits for run config:
 * type (one or several), properties / required / additionalProperties, items / prefixItems, enum, const,
 * anyOf / oneOf / allOf, numeric and length bounds, pattern, $ref into $defs. Keywords it does not know
 * accept anything, so it never rejects what the server would accept; the server validates again on launch.
 */
export type Schema = boolean | { readonly [keyword: string]: unknown };
export type PathSegment = string | number;

export interface SchemaIssue {
  /** Where in the value: ["ops", "generate_numbers", "config", "count"]. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** `ops.generate_numbers.config.count`, `items[2]`; the root is `(root)`, as the server writes it. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(root)";
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function describe(value: unknown): string {
  const type = typeOf(value);
  if (type === "object" || type === "array") return `an ${type}`;
  if (type === "null") return "null";
  return `${type} ${JSON.stringify(value)}`;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

type Obj = { readonly [keyword: string]: unknown };

export function validateAgainstSchema(root: Schema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const resolve = (schema: Schema): Schema => {
    if (typeof schema === "object" && typeof schema.$ref === "string") {
      const ref = schema.$ref;
      if (ref === "#") return root;
      const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
      if (match && typeof root === "object") {
        const defs = root[match[1]!] as Record<string, Schema> | undefined;
        const target = defs?.[decodeURIComponent(match[2]!).replaceAll("~1", "/").replaceAll("~0", "~")];
        if (target !== undefined) return target;
      }
      return true;
    }
    return schema;
  };

  const check = (
    schemaIn: Schema,
    data: unknown,
    path: PathSegment[],
    out: SchemaIssue[],
    depth: number,
  ): void => {
    if (depth > 64) return;
    const schema = resolve(schemaIn);
    if (schema === true) return;
    if (schema === false) {
      out.push({ path, message: "no value is allowed here" });
      return;
    }
    const s = schema as Obj;
    if (s.type !== undefined) {
      const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
      if (!types.some((t) => matchesType(data, t))) {
        out.push({ path, message: `expected ${types.join(" or ")}, got ${describe(data)}` });
        return;
      }
    }
    if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(data)) {
      out.push({ path, message: `must be ${JSON.stringify(s.const)}` });
    }
    if (Array.isArray(s.enum) && !s.enum.some((v) => JSON.stringify(v) === JSON.stringify(data))) {
      const suggestion =
        typeof data === "string"
          ? nearest(
              data,
              s.enum.filter((v) => typeof v === "string"),
            )
          : undefined;
      out.push({
        path,
        message: `must be one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      });
    }
    if (typeof data === "number") {
      if (typeof s.minimum === "number" && data < s.minimum)
        out.push({ path, message: `must be >= ${s.minimum}` });
      if (typeof s.maximum === "number" && data > s.maximum)
        out.push({ path, message: `must be <= ${s.maximum}` });
      if (typeof s.exclusiveMinimum === "number" && data <= s.exclusiveMinimum)
        out.push({ path, message: `must be > ${s.exclusiveMinimum}` });
      if (typeof s.exclusiveMaximum === "number" && data >= s.exclusiveMaximum)
        out.push({ path, message: `must be < ${s.exclusiveMaximum}` });
      if (
        typeof s.multipleOf === "number" &&
        s.multipleOf > 0 &&
        Math.abs(data / s.multipleOf - Math.round(data / s.multipleOf)) > 1e-9
      )
        out.push({ path, message: `must be a multiple of ${s.multipleOf}` });
    }
    if (typeof data === "string") {
      const length = [...data].length;
      if (typeof s.minLength === "number" && length < s.minLength)
        out.push({ path, message: `must be at least ${s.minLength} characters` });
      if (typeof s.maxLength === "number" && length > s.maxLength)
        out.push({ path, message: `must be at most ${s.maxLength} characters` });
      if (typeof s.pattern === "string") {
        try {
          if (!new RegExp(s.pattern, "u").test(data)) out.push({ path, message: `must match ${s.pattern}` });
        } catch {
          // A pattern this browser cannot compile is left to the server.
        }
      }
    }
    if (Array.isArray(data)) {
      if (typeof s.minItems === "number" && data.length < s.minItems)
        out.push({ path, message: `must have at least ${s.minItems} items` });
      if (typeof s.maxItems === "number" && data.length > s.maxItems)
        out.push({ path, message: `must have at most ${s.maxItems} items` });
      const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : [];
      data.forEach((item, i) => {
        const itemSchema = i < prefix.length ? prefix[i] : (s.items as Schema | undefined);
        if (itemSchema !== undefined) check(itemSchema, item, [...path, i], out, depth + 1);
      });
    }
    if (typeOf(data) === "object") {
      const record = data as Record<string, unknown>;
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[]) {
        if (!(key in record)) out.push({ path: [...path, key], message: "is required" });
      }
      for (const [key, item] of Object.entries(record)) {
        if (key in properties) {
          check(properties[key]!, item, [...path, key], out, depth + 1);
        } else if (s.additionalProperties === false) {
          const known = Object.keys(properties);
          const suggestion = nearest(key, known);
          out.push({
            path: [...path, key],
            message: `unknown field${suggestion ? `; did you mean "${suggestion}"?` : known.length > 0 ? ` (expected one of: ${known.join(", ")})` : ""}`,
          });
        } else if (typeof s.additionalProperties === "object" && s.additionalProperties !== null) {
          check(s.additionalProperties as Schema, item, [...path, key], out, depth + 1);
        }
      }
    }
    if (Array.isArray(s.allOf))
      for (const part of s.allOf as Schema[]) check(part, data, path, out, depth + 1);
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const options = s[keyword];
      if (!Array.isArray(options)) continue;
      const attempts = (options as Schema[]).map((option) => {
        const found: SchemaIssue[] = [];
        check(option, data, path, found, depth + 1);
        return found;
      });
      const passing = attempts.filter((a) => a.length === 0).length;
      if (keyword === "anyOf" ? passing === 0 : passing !== 1) {
        if (passing > 1) {
          out.push({ path, message: "matches more than one of the allowed shapes" });
        } else {
          // Report the option that got furthest (fewest issues), which is nearly always what was meant.
          const best = attempts.reduce((a, b) => (b.length < a.length ? b : a));
          out.push(...best);
        }
      }
    }
  };

  check(root, value, [], issues, 0);
  return issues;
}
