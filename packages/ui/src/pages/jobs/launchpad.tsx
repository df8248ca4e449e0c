import { useDeferredValue, useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { ApiRequestError } from "../../api/client.ts";
import { useLaunchRun } from "../../api/queries.ts";
import type { JobDetail } from "../../api/types.ts";
import { ErrorBox } from "../../components/states.tsx";
import { type ConfigIssue, checkConfig, initialConfigText, lineOfPath } from "../../config/config-check.ts";
import type { Schema } from "../../config/json-schema.ts";
import { partitionKeysOf } from "../../config/partition-keys.ts";
import { ConfigEditor } from "./config-editor.tsx";

interface TagRow {
  id: number;
  key: string;
  value: string;
}

/**
 * Launch a job: YAML run config checked against the job's schema as you type (and again by the server),
 * extra tags, a partition when the job is partitioned. Nothing launches while the config has problems.
 */
export function Launchpad({ job }: { job: JobDetail }) {
  const schema = (job.runConfigSchema ?? null) as Schema | null;
  const [text, setText] = useState(() => initialConfigText(job.defaultRunConfig, schema));
  const deferred = useDeferredValue(text);
  const check = useMemo(() => checkConfig(deferred, schema), [deferred, schema]);
  const [tags, setTags] = useState<TagRow[]>([]);
  const [nextId, setNextId] = useState(1);
  const partitionKeys = useMemo(
    () => (job.partitions ? partitionKeysOf(job.partitions, Date.now()) : []),
    [job.partitions],
  );
  const [partition, setPartition] = useState(partitionKeys[0] ?? "");
  const [serverIssues, setServerIssues] = useState<{ text: string; issues: ConfigIssue[] } | null>(null);
  const [attempted, setAttempted] = useState(false);
  const launch = useLaunchRun();
  const navigate = useNavigate();

  const tagIssues = tags
    .filter((t) => t.key.trim() === "" && t.value.trim() !== "")
    .map((t) => `Tag with value "${t.value}" needs a key`);
  const duplicateKeys = tags.map((t) => t.key.trim()).filter((k, i, all) => k && all.indexOf(k) !== i);
  if (duplicateKeys.length > 0) tagIssues.push(`Tag "${duplicateKeys[0]}" is given twice`);
  // Server issues stay shown until the text changes.
  const issues: readonly ConfigIssue[] = [
    ...check.issues,
    ...(serverIssues && serverIssues.text === text ? serverIssues.issues : []),
  ];
  const needsPartition = job.partitions !== null && !partition;
  const blocked = issues.length > 0 || tagIssues.length > 0 || needsPartition;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    // Check the text as it is now, not the deferred copy, so a fast typist cannot launch a stale check.
    const now = checkConfig(text, schema);
    if (now.issues.length > 0 || tagIssues.length > 0 || needsPartition) return;
    const tagMap: Record<string, string> = {};
    for (const t of tags) if (t.key.trim()) tagMap[t.key.trim()] = t.value;
    launch.mutate(
      {
        location: job.location,
        job: job.name,
        runConfig: (now.value ?? {}) as never,
        ...(Object.keys(tagMap).length > 0 ? { tags: tagMap } : {}),
        ...(job.partitions ? { partitionKey: partition } : {}),
      },
      {
        onSuccess: (run) => navigate(`/runs/${run.runId}`),
        onError: (error) => {
          if (error instanceof ApiRequestError && error.code === "INVALID_RUN_CONFIG") {
            setServerIssues({
              text,
              issues: error.issues.map((i) => {
                const path = i.path ?? i.field?.replace(/^body\.runConfig\.?/, "") ?? "(root)";
                return { path: path || "(root)", message: i.message, line: lineOfPath(text, path) };
              }),
            });
          }
        },
      },
    );
  };

  return (
    <form className="launchpad" onSubmit={submit} aria-label={`Launch ${job.name}`}>
      <div className="launchpad-main">
        <label htmlFor="run-config" className="field-label">
          Run config (YAML)
        </label>
        <ConfigEditor id="run-config" value={text} onChange={setText} issues={issues} />
      </div>
      <aside className="launchpad-side">
        {job.partitions && (
          <label className="field">
            Partition
            <select
              value={partition}
              onChange={(e) => setPartition(e.target.value)}
              aria-invalid={needsPartition}
            >
              {partitionKeys.length === 0 && <option value="">No partition has ended yet</option>}
              {partitionKeys.map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="field">
          <legend>Tags</legend>
          {tags.map((tag) => (
            <div key={tag.id} className="tag-row">
              <input
                aria-label="Tag key"
                placeholder="key"
                value={tag.key}
                onChange={(e) =>
                  setTags(tags.map((t) => (t.id === tag.id ? { ...t, key: e.target.value } : t)))
                }
              />
              <input
                aria-label="Tag value"
                placeholder="value"
                value={tag.value}
                onChange={(e) =>
                  setTags(tags.map((t) => (t.id === tag.id ? { ...t, value: e.target.value } : t)))
                }
              />
              <button
                type="button"
                aria-label={`Remove tag ${tag.key || tag.id}`}
                onClick={() => setTags(tags.filter((t) => t.id !== tag.id))}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => {
              setTags([...tags, { id: nextId, key: "", value: "" }]);
              setNextId(nextId + 1);
            }}
          >
            Add tag
          </button>
          {tagIssues.map((issue) => (
            <div key={issue} className="field-error" role="alert">
              {issue}
            </div>
          ))}
        </fieldset>
        <button
          type="submit"
          className="primary launch-button"
          disabled={launch.isPending || (attempted && blocked)}
        >
          {launch.isPending ? "Launching…" : "Launch run"}
        </button>
        {blocked && attempted && (
          <p className="field-error" role="alert">
            {issues.length > 0
              ? `Fix ${issues.length} config problem${issues.length === 1 ? "" : "s"} to launch.`
              : needsPartition
                ? "Choose a partition."
                : "Fix the tags to launch."}
          </p>
        )}
        {launch.error &&
          !(launch.error instanceof ApiRequestError && launch.error.code === "INVALID_RUN_CONFIG") && (
            <ErrorBox error={launch.error} title="Could not launch" />
          )}
      </aside>
    </form>
  );
}
