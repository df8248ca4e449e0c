import { useRef } from "react";
import { userWords } from "../../components/user-words.ts";
import type { ConfigIssue } from "../../config/config-check.ts";

/**
 * A YAML text area with line numbers; lines with problems are marked in the gutter and the problems are
 * listed under it (each one moves the cursor to its line). Plain textarea: fast, accessible, no editor bundle.
 */
export function ConfigEditor({
  value,
  onChange,
  issues,
  id,
}: {
  value: string;
  onChange: (text: string) => void;
  issues: readonly ConfigIssue[];
  id: string;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = Math.max(12, value.split("\n").length + 1);
  const badLines = new Set(issues.map((i) => i.line).filter((l): l is number => l !== null));

  const goToLine = (line: number) => {
    const el = area.current;
    if (!el) return;
    const lines = value.split("\n");
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
  };

  return (
    <div className="config-editor">
      <div className={`editor-frame ${issues.length > 0 ? "invalid" : ""}`}>
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => i + 1).map((line) => (
            <div key={line} className={badLines.has(line) ? "bad" : ""}>
              {line}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          value={value}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          rows={Math.min(24, lineCount)}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            // Tab indents (two spaces) instead of leaving the editor; Escape then Tab still moves focus on.
            if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
              const el = e.currentTarget;
              if (el.dataset.escaped === "1") return;
              e.preventDefault();
              const { selectionStart, selectionEnd } = el;
              onChange(`${value.slice(0, selectionStart)}  ${value.slice(selectionEnd)}`);
              window.requestAnimationFrame(() =>
                el.setSelectionRange(selectionStart + 2, selectionStart + 2),
              );
            }
            e.currentTarget.dataset.escaped = e.key === "Escape" ? "1" : "0";
          }}
          aria-invalid={issues.length > 0}
          aria-describedby={`${id}-issues ${id}-help`}
        />
      </div>
      <div id={`${id}-help`} className="muted small">
        YAML, checked against the job's config schema as you type. Tab indents; press Escape then Tab to leave
        the editor.
      </div>
      <ul id={`${id}-issues`} className="config-issues" aria-live="polite" aria-label="Config problems">
        {issues.map((issue) => (
          <li key={`${issue.line}-${issue.path}-${issue.message}`} className="config-issue">
            {issue.line !== null ? (
              <button type="button" className="link-button" onClick={() => goToLine(issue.line!)}>
                Line {issue.line}
              </button>
            ) : (
              <span className="muted">Config</span>
            )}{" "}
            <code>{issue.path}</code>: {userWords(issue.message)}
          </li>
        ))}
      </ul>
    </div>
  );
}
