/**
 * Conversions between Bosun's types and the code server's protobuf messages. JSON-shaped values (run
 * config, snapshots) cross as JSON strings; everything with a fixed shape has its own message.
 */

import type { JsonValue, SerializableFailure } from "@bosun/core";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { RunRequest } from "bosun";
import type {
  ExecutionPlanRequest,
  ExecutionPlanResult,
  InstigatorEvaluation,
} from "../code-location/code-location-client.ts";
import {
  type GetExecutionPlanRequest,
  GetExecutionPlanRequestSchema,
  type GetExecutionPlanResponse,
  type GetExecutionPlanResponseSchema,
  type InstigatorEvaluation as InstigatorEvaluationMessage,
  type InstigatorEvaluationSchema,
  type RunRequest as RunRequestMessage,
  type RunRequestSchema,
  type SerializableFailure as SerializableFailureMessage,
  SerializableFailureSchema,
} from "./gen/bosun/code_server/v1/code_server_pb.ts";

const MAX_CAUSE_DEPTH = 10;

export function failureToWire(failure: SerializableFailure, depth = 0): SerializableFailureMessage {
  return create(SerializableFailureSchema, {
    className: failure.className,
    message: failure.message,
    stack: failure.stack ?? undefined,
    cause: failure.cause && depth < MAX_CAUSE_DEPTH ? failureToWire(failure.cause, depth + 1) : undefined,
  });
}

export function failureFromWire(message: SerializableFailureMessage | undefined): SerializableFailure {
  if (!message) return { className: "Error", message: "(no error details)", stack: null, cause: null };
  return {
    className: message.className,
    message: message.message,
    stack: message.stack ?? null,
    cause: message.cause ? failureFromWire(message.cause) : null,
  };
}

export function planRequestToWire(request: ExecutionPlanRequest): GetExecutionPlanRequest {
  return create(GetExecutionPlanRequestSchema, {
    jobName: request.jobName,
    assetSelection: request.assetSelection ? { values: [...request.assetSelection] } : undefined,
    runConfigJson: request.runConfig === undefined ? "" : JSON.stringify(request.runConfig),
    stepKeysToExecute: request.stepKeysToExecute ? { values: [...request.stepKeysToExecute] } : undefined,
    partitionKey: request.partitionKey ?? undefined,
  });
}

export function planRequestFromWire(message: GetExecutionPlanRequest): ExecutionPlanRequest {
  return {
    jobName: message.jobName,
    assetSelection: message.assetSelection ? message.assetSelection.values : null,
    runConfig: parseJsonField(message.runConfigJson, "run_config_json"),
    stepKeysToExecute: message.stepKeysToExecute ? message.stepKeysToExecute.values : null,
    partitionKey: message.partitionKey ?? null,
  };
}

export function planResultToWire(
  result: ExecutionPlanResult,
): MessageInitShape<typeof GetExecutionPlanResponseSchema> {
  return result.ok
    ? {
        ok: true,
        jobName: result.jobName,
        stepKeys: [...result.stepKeys],
        assetKeys: [...result.assetKeys],
        steps: result.steps.map((step) => ({ key: step.key, upstream: [...step.upstream] })),
      }
    : {
        ok: false,
        message: result.message,
        configIssues: result.configIssues.map((issue) => ({ path: issue.path, message: issue.message })),
      };
}

export function planResultFromWire(message: GetExecutionPlanResponse): ExecutionPlanResult {
  return message.ok
    ? {
        ok: true,
        jobName: message.jobName,
        stepKeys: message.stepKeys,
        assetKeys: message.assetKeys,
        steps: message.steps.map((step) => ({ key: step.key, upstream: step.upstream })),
      }
    : {
        ok: false,
        message: message.message,
        configIssues: message.configIssues.map((issue) => ({ path: issue.path, message: issue.message })),
      };
}

export function evaluationToWire(
  evaluation: InstigatorEvaluation,
): MessageInitShape<typeof InstigatorEvaluationSchema> {
  if (!evaluation.ok) return { ok: false, error: failureToWire(evaluation.error) };
  return {
    ok: true,
    runRequests: evaluation.runRequests.map(runRequestToWire),
    skipReason: evaluation.skipReason ?? undefined,
    cursor: evaluation.cursor ?? undefined,
  };
}

export function evaluationFromWire(message: InstigatorEvaluationMessage): InstigatorEvaluation {
  if (!message.ok) return { ok: false, error: failureFromWire(message.error) };
  return {
    ok: true,
    runRequests: message.runRequests.map(runRequestFromWire),
    skipReason: message.skipReason ?? null,
    cursor: message.cursor ?? null,
  };
}

function runRequestToWire(request: RunRequest): MessageInitShape<typeof RunRequestSchema> {
  return {
    runKey: request.runKey,
    runConfigJson: request.runConfig === undefined ? "" : JSON.stringify(request.runConfig),
    tags: { ...(request.tags ?? {}) },
    partitionKey: request.partitionKey,
  };
}

function runRequestFromWire(message: RunRequestMessage): RunRequest {
  const request: { -readonly [K in keyof RunRequest]: RunRequest[K] } = {};
  if (message.runKey !== undefined) request.runKey = message.runKey;
  const runConfig = parseJsonField(message.runConfigJson, "run_config_json");
  if (runConfig !== undefined) request.runConfig = runConfig as Record<string, JsonValue>;
  if (Object.keys(message.tags).length > 0) request.tags = { ...message.tags };
  if (message.partitionKey !== undefined) request.partitionKey = message.partitionKey;
  return request;
}

/** A JSON text field; empty means absent. */
export function parseJsonField(text: string, field: string): JsonValue | undefined {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error(`${field} is not valid JSON: ${(error as Error).message}`);
  }
}
