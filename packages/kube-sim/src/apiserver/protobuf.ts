import { ApiError } from "./api-error.ts";

/**
 * Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) for the
 * kinds clients send that way in practice: helm stores its releases as Secrets through a typed
 * client, which writes protobuf. Only Secret and ConfigMap bodies are understood; other kinds
 * get 415 so that nothing is silently misread. Responses are always JSON, which typed clients
 * accept.
 */
type Fields = Map<number, (Buffer | bigint)[]>;

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error("truncated varint");
    const byte = buf[pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function parse(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: Buffer | bigint;
    if (wire === 0) {
      [value, pos] = readVarint(buf, pos);
    } else if (wire === 2) {
      const [length, start] = readVarint(buf, pos);
      value = buf.subarray(start, start + Number(length));
      pos = start + Number(length);
    } else if (wire === 1) {
      value = buf.readBigUInt64LE(pos);
      pos += 8;
    } else if (wire === 5) {
      value = BigInt(buf.readUInt32LE(pos));
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

const str = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return v instanceof Buffer ? v.toString("utf8") : undefined;
};
const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((v) => (v as Buffer).toString("utf8"));
const msg = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return v instanceof Buffer ? parse(v) : undefined;
};
const int = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return typeof v === "bigint" ? Number(BigInt.asIntN(64, v)) : undefined;
};
const bool = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return typeof v === "bigint" ? v !== 0n : undefined;
};

function map(f: Fields, n: number, bytes: boolean): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const e = parse(entry as Buffer);
    const key = str(e, 1) ?? "";
    const value = e.get(2)?.[0];
    out[key] = value instanceof Buffer ? (bytes ? value.toString("base64") : value.toString("utf8")) : "";
  }
  return out;
}

function time(f: Fields | undefined): string | undefined {
  if (!f) return undefined;
  const seconds = int(f, 1) ?? 0;
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

function objectMeta(f: Fields | undefined): Record<string, unknown> {
  if (!f) return {};
  const meta: Record<string, unknown> = {
    name: str(f, 1),
    generateName: str(f, 2),
    namespace: str(f, 3),
    uid: str(f, 5),
    resourceVersion: str(f, 6),
    generation: int(f, 7),
    creationTimestamp: time(msg(f, 8)),
    deletionTimestamp: time(msg(f, 9)),
    deletionGracePeriodSeconds: int(f, 10),
    labels: map(f, 11, false),
    annotations: map(f, 12, false),
    ownerReferences: (f.get(13) ?? []).map((r) => {
      const o = parse(r as Buffer);
      return {
        kind: str(o, 1),
        name: str(o, 3),
        uid: str(o, 4),
        apiVersion: str(o, 5),
        controller: bool(o, 6),
        blockOwnerDeletion: bool(o, 7),
      };
    }),
    finalizers: strs(f, 14),
  };
  if ((meta.ownerReferences as unknown[]).length === 0) delete meta.ownerReferences;
  if ((meta.finalizers as unknown[]).length === 0) delete meta.finalizers;
  if (meta.creationTimestamp === "1970-01-01T00:00:00Z") delete meta.creationTimestamp;
  for (const [k, v] of Object.entries(meta)) if (v === undefined || v === "") delete meta[k];
  return meta;
}

/** Decodes a protobuf-encoded object into its JSON form. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
  if (body.length < 4 || !body.subarray(0, 4).equals(magic))
    throw ApiError.badRequest("protobuf body lacks the k8s envelope");
  let unknown: Fields;
  try {
    unknown = parse(body.subarray(4));
  } catch (error) {
    throw ApiError.badRequest(`cannot decode protobuf envelope: ${(error as Error).message}`);
  }
  const typeMeta = msg(unknown, 1);
  const apiVersion = typeMeta ? str(typeMeta, 1) : undefined;
  const kind = typeMeta ? str(typeMeta, 2) : undefined;
  const raw = unknown.get(2)?.[0];
  if (!(raw instanceof Buffer)) throw ApiError.badRequest("protobuf envelope has no object");
  const f = parse(raw);
  if (apiVersion === "v1" && kind === "Secret") {
    const out: Record<string, unknown> = {
      apiVersion,
      kind,
      metadata: objectMeta(msg(f, 1)),
      data: map(f, 2, true),
      type: str(f, 3),
      stringData: map(f, 4, false),
      immutable: bool(f, 5),
    };
    for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
    return out;
  }
  if (apiVersion === "v1" && kind === "ConfigMap") {
    const out: Record<string, unknown> = {
      apiVersion,
      kind,
      metadata: objectMeta(msg(f, 1)),
      data: map(f, 2, false),
      binaryData: map(f, 3, true),
      immutable: bool(f, 4),
    };
    for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
    return out;
  }
  if (kind === "DeleteOptions") {
    const pre = msg(f, 2);
    const out: Record<string, unknown> = {
      gracePeriodSeconds: int(f, 1),
      preconditions: pre ? { uid: str(pre, 1), resourceVersion: str(pre, 2) } : undefined,
      orphanDependents: bool(f, 3),
      propagationPolicy: str(f, 4),
      dryRun: strs(f, 5),
    };
    for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
    return out;
  }
  throw new ApiError(
    415,
    "UnsupportedMediaType",
    `kube-sim decodes protobuf bodies for v1 Secret, ConfigMap and DeleteOptions only (got ${apiVersion} ${kind}); send JSON`,
  );
}
