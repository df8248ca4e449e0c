import { useMemo, useRef, useState } from "react";
import type { AssetMaterialization } from "../../api/types.ts";
import { formatDateTime } from "../../components/format.ts";
import { useElementWidth } from "../../components/use-now.ts";

const HEIGHT = 200;
const PAD = { left: 56, right: 16, top: 14, bottom: 28 };

/** Numeric metadata keys of the materializations, most frequent first. */
export function numericKeys(materializations: readonly AssetMaterialization[]): string[] {
  const counts = new Map<string, number>();
  for (const m of materializations)
    for (const [key, value] of Object.entries(m.metadata))
      if (value.type === "int" || value.type === "float") counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

/** A line chart (plain SVG) of one numeric metadata value over the asset's materializations. */
export function MetadataChart({ materializations }: { materializations: readonly AssetMaterialization[] }) {
  const keys = useMemo(() => numericKeys(materializations), [materializations]);
  const [chosen, setChosen] = useState<string | null>(null);
  const key = chosen && keys.includes(chosen) ? chosen : (keys[0] ?? null);
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box, 640);
  const points = useMemo(() => {
    if (!key) return [];
    return materializations
      .map((m) => {
        const v = m.metadata[key];
        return v && (v.type === "int" || v.type === "float")
          ? { t: m.timestamp, v: v.value, runId: m.runId }
          : null;
      })
      .filter((p): p is { t: number; v: number; runId: string } => p !== null)
      .sort((a, b) => a.t - b.t);
  }, [materializations, key]);

  if (keys.length === 0) return <p className="muted">No numeric metadata to chart yet.</p>;
  const w = Math.max(240, width);
  const innerW = w - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const tMin = points[0]?.t ?? 0;
  const tMax = points.at(-1)?.t ?? 1;
  let vMin = Math.min(...points.map((p) => p.v));
  let vMax = Math.max(...points.map((p) => p.v));
  if (vMin === vMax) {
    vMin -= 1;
    vMax += 1;
  }
  const x = (t: number) => PAD.left + (tMax === tMin ? innerW / 2 : ((t - tMin) / (tMax - tMin)) * innerW);
  const y = (v: number) => PAD.top + innerH - ((v - vMin) / (vMax - vMin)) * innerH;
  const path = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`)
    .join(" ");
  const yTicks = [vMin, (vMin + vMax) / 2, vMax];

  return (
    <div ref={box} className="metadata-chart">
      <label>
        Metadata
        <select value={key ?? ""} onChange={(e) => setChosen(e.target.value)}>
          {keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <svg width={w} height={HEIGHT} role="img" aria-label={`${key} over ${points.length} materializations`}>
        <title>{`${key} over time`}</title>
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={w - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {Number.isInteger(v) ? v : v.toFixed(2)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 8} className="chart-tick">
          {formatDateTime(tMin)}
        </text>
        <text x={w - PAD.right} y={HEIGHT - 8} textAnchor="end" className="chart-tick">
          {formatDateTime(tMax)}
        </text>
        <path d={path} className="chart-line" />
        {points.map((p) => (
          <circle key={`${p.runId}-${p.t}`} cx={x(p.t)} cy={y(p.v)} r={3.5} className="chart-point">
            <title>{`${formatDateTime(p.t)}: ${p.v}`}</title>
          </circle>
        ))}
      </svg>
    </div>
  );
}
