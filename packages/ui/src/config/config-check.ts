import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, stringify } from "yaml";
import { formatPath, type PathSegment, type Schema, validateAgainstSchema } from "./json-schema.ts";

/** One problem with the launchpad's config, placed on a line of the editor when it can be. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  /** 1-based line in the editor, or null when the problem has no place (e.g. a missing key at the root). */
  readonly line: number | null;
}

export interface ConfigCheck {
  /** The parsed config, when the YAML parsed (even if it breaks the schema). */
  readonly value: unknown;
  readonly parsed: boolean;
  readonly issues: readonly ConfigIssue[];
}

/**
 * Parses the editor's YAML and validates it against the job's run config schema. YAML syntax errors come
 * first (with their line); schema issues point at the offending key, or at the nearest parent that exists.
 */
export function checkConfig(text: string, schema: Schema | null): ConfigCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      parsed: false,
      issues: doc.errors.map((error) => ({
        path: "(yaml)",
        message: error.message.split("\n")[0] ?? error.message,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }
  const value = doc.toJS() ?? {};
  if (schema === null) return { value, parsed: true, issues: [] };
  const issues = validateAgainstSchema(schema, value).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    line: lineOf(doc, lineCounter, issue.path),
  }));
  return { value, parsed: true, issues };
}

type Doc = ReturnType<typeof parseDocument>;

/** The line of the key (or value) at `path`, walking up to the deepest part that exists. */
function lineOf(doc: Doc, lines: LineCounter, path: readonly PathSegment[]): number | null {
  let node: unknown = doc.contents;
  let line: number | null = null;
  const lineAt = (n: unknown) => (isNode(n) && n.range ? lines.linePos(n.range[0]).line : null);
  line = lineAt(node);
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part),
      );
      if (!pair) return line;
      line = lineAt(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part];
      if (item === undefined) return line;
      line = lineAt(item) ?? line;
      node = item;
    } else {
      return line;
    }
  }
  return line;
}

/**
 * The text the editor starts with: the job's default run config when it has one, else every op config
 * field with a default, so people see what they can set.
 */
export function initialConfigText(defaultRunConfig: unknown, schema: Schema | null): string {
  if (defaultRunConfig && typeof defaultRunConfig === "object" && Object.keys(defaultRunConfig).length > 0)
    return stringify(defaultRunConfig);
  const scaffold = scaffoldFromSchema(schema);
  return scaffold && Object.keys(scaffold).length > 0 ? stringify(scaffold) : "";
}

function scaffoldFromSchema(schema: Schema | null): Record<string, unknown> | null {
  if (!schema || typeof schema !== "object") return null;
  const ops = (schema.properties as Record<string, Schema> | undefined)?.ops;
  if (!ops || typeof ops !== "object") return null;
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries((ops.properties ?? {}) as Record<string, Schema>)) {
    if (typeof entry !== "object") continue;
    const config = (entry.properties as Record<string, Schema> | undefined)?.config;
    if (!config || typeof config !== "object") continue;
    const fields: Record<string, unknown> = {};
    for (const [field, fieldSchema] of Object.entries((config.properties ?? {}) as Record<string, Schema>)) {
      if (typeof fieldSchema === "object" && fieldSchema.default !== undefined)
        fields[field] = fieldSchema.default;
    }
    const required = ((ops.required ?? []) as string[]).includes(name);
    if (Object.keys(fields).length > 0 || required) out[name] = { config: fields };
  }
  return Object.keys(out).length > 0 ? { ops: out } : null;
}

/** The editor line of a server-reported path (`ops.generate_numbers.config.count`), when it can be found. */
export function lineOfPath(text: string, path: string): number | null {
  if (!path || path === "(root)") return null;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return null;
  const parts: PathSegment[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (match[2] !== undefined) parts.push(Number(match[2]));
    else parts.push(match[3] !== undefined ? JSON.parse(`"${match[3]}"`) : match[1]!);
  }
  return lineOf(doc, lineCounter, parts);
}
