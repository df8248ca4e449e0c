import type { Failure } from "../api/types.ts";
import { StackTrace } from "./stack-trace.tsx";
import { userWords } from "./user-words.ts";

/** A failure: class and message up front, stack and causes below (the stack open by default when asked). */
export function FailureView({ failure, openStack = false }: { failure: Failure; openStack?: boolean }) {
  const chain: { depth: number; failure: Failure }[] = [];
  let current: Failure | null = failure;
  while (current && chain.length < 10) {
    chain.push({ depth: chain.length, failure: current });
    current = current.cause;
  }
  return (
    <div className="failure">
      {chain.map(({ depth: i, failure: f }) => (
        <div key={`cause-${i}`} className="failure-part">
          <div className="failure-head">
            {i > 0 && <span className="muted">Caused by </span>}
            <strong className="failure-class">{f.className}</strong>:{" "}
            <span className="failure-message">{userWords(f.message)}</span>
          </div>
          {f.stack && (
            <details open={openStack && i === 0}>
              <summary>Stack trace</summary>
              <StackTrace stack={f.stack} />
            </details>
          )}
        </div>
      ))}
    </div>
  );
}
