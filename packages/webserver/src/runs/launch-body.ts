import type { JsonValue } from "@bosun/core";

/** Body of `POST /api/runs`. */
export interface LaunchBody {
  readonly location: string;
  readonly job?: string;
  readonly assetSelection?: readonly string[];
  readonly runConfig?: JsonValue;
  readonly tags?: Readonly<Record<string, string>>;
  readonly partitionKey?: string | null;
}
