import { splitStack } from "./stack-frames.ts";

/** A stack trace with the user's frames in view and each run of engine frames behind a toggle. */
export function StackTrace({ stack }: { stack: string }) {
  return (
    <pre className="stack">
      {splitStack(stack).map((part, i) =>
        part.kind === "engine" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts never move
          <details key={i} className="engine-frames">
            <summary>
              {part.lines.length} engine frame{part.lines.length === 1 ? "" : "s"}
            </summary>
            {part.lines.join("\n")}
          </details>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts never move
          <span key={i} className={part.kind === "user" ? "user-frames" : undefined}>
            {`${part.lines.join("\n")}\n`}
          </span>
        ),
      )}
    </pre>
  );
}
