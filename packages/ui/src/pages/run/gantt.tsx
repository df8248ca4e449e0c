import { useRef } from "react";
import { formatDuration } from "../../components/format.ts";
import { useElementWidth } from "../../components/use-now.ts";
import { userWords } from "../../components/user-words.ts";
import type { AttemptOutcome, StepTimeline } from "./step-timeline.ts";

const ROW = 26;
const LABEL = 200;
const AXIS = 22;

const OUTCOME_LABEL: Record<AttemptOutcome, string> = {
  running: "running",
  success: "succeeded",
  retry: "failed, retried",
  failure: "failed",
  interrupted: "interrupted",
};

/**
 * The step timeline: one row per step, one bar per attempt, on a shared time axis from the run's start.
 * Bars that overlap in time ran in parallel; a retried step shows its failed attempt (amber) then the next.
 */
export function Gantt({
  steps,
  runStart,
  now,
  selected,
  onSelect,
}: {
  steps: readonly StepTimeline[];
  runStart: number;
  now: number;
  selected: string | null;
  onSelect: (stepKey: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box, 900);
  const chartWidth = Math.max(200, width - LABEL - 16);
  const end = Math.max(runStart + 1, ...steps.map((s) => s.end ?? now));
  const span = end - runStart;
  const x = (t: number) => ((t - runStart) / span) * chartWidth;
  const ticks = axisTicks(span, chartWidth);
  const height = AXIS + steps.length * ROW + 4;

  return (
    <div className="gantt" ref={box}>
      <div className="gantt-labels" style={{ width: LABEL, paddingTop: AXIS }}>
        {steps.map((step) => (
          <button
            key={step.stepKey}
            type="button"
            className={`gantt-label state-${step.state} ${selected === step.stepKey ? "selected" : ""}`}
            style={{ height: ROW }}
            onClick={() => onSelect(step.stepKey)}
            aria-pressed={selected === step.stepKey}
            aria-label={`Step ${step.stepKey}: ${step.state}${step.attempts.length > 1 ? `, ${step.attempts.length} attempts` : ""}. Show its logs`}
            title={step.stepKey}
          >
            <span className={`dot state-${step.state}`} aria-hidden="true" />
            <span className="gantt-name">{step.stepKey}</span>
            {step.attempts.length > 1 && <span className="attempts">×{step.attempts.length}</span>}
          </button>
        ))}
      </div>
      <svg width={chartWidth} height={height} className="gantt-chart" role="img" aria-label="Step timeline">
        <title>Step timeline</title>
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={x(runStart + t)}
              x2={x(runStart + t)}
              y1={AXIS - 4}
              y2={height}
              className="gantt-grid"
            />
            <text x={x(runStart + t) + 3} y={12} className="gantt-tick">
              {formatDuration(t)}
            </text>
          </g>
        ))}
        {steps.map((step, row) => {
          const y = AXIS + row * ROW + 5;
          if (step.attempts.length === 0)
            return (
              <g key={step.stepKey}>
                <rect x={x(step.start) - 1} y={y} width={3} height={ROW - 10} className="bar bar-skipped" />
                <text x={x(step.start) + 6} y={y + 12} className="gantt-note">
                  skipped
                </text>
              </g>
            );
          return (
            <g key={step.stepKey} className={selected === step.stepKey ? "row-selected" : ""}>
              {step.attempts.map((a) => {
                const x1 = x(a.start);
                const w = Math.max(2, x(a.end ?? now) - x1);
                return (
                  <rect
                    key={a.attempt}
                    x={x1}
                    y={y}
                    width={w}
                    height={ROW - 10}
                    rx={3}
                    className={`bar bar-${a.outcome}`}
                  >
                    <title>
                      {`${step.stepKey} attempt ${a.attempt}: ${OUTCOME_LABEL[a.outcome]} after ${formatDuration((a.end ?? now) - a.start)}${a.failure ? `\n${a.failure.className}: ${userWords(a.failure.message)}` : ""}`}
                    </title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Round tick spacing giving about one tick per 110 px. */
function axisTicks(span: number, width: number): number[] {
  const target = span / Math.max(1, Math.floor(width / 110));
  const steps = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
    600_000, 1_800_000, 3_600_000,
  ];
  const step = steps.find((s) => s >= target) ?? 3_600_000 * Math.ceil(target / 3_600_000);
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += step) ticks.push(t);
  return ticks;
}
