import "@xyflow/react/dist/style.css";
import {
  Background,
  Controls,
  type Edge,
  Handle,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import ELK from "elkjs/lib/elk-api.js";
// The layout engine (1.6 MB) runs in a worker, fetched only when a graph is first shown.
import elkWorkerUrl from "elkjs/lib/elk-worker.min.js?url";
import { memo, useEffect, useState } from "react";
import { Loading } from "./states.tsx";

/** A node of a directed graph (an op, an asset), drawn as a card; `tone` colours its left edge. */
export interface DagNode {
  readonly id: string;
  readonly label: string;
  readonly sublabel?: string;
  readonly tone?: "default" | "ok" | "bad" | "muted" | "accent" | "warn";
}

export interface DagEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

const NODE_WIDTH = 210;
const NODE_HEIGHT = 56;
let elk: InstanceType<typeof ELK> | null = null;

type CardData = { label: string; sublabel?: string; tone: string; selected: boolean };

const Card = memo(function Card({ data }: NodeProps<Node<CardData>>) {
  return (
    <div
      className={`dag-node tone-${data.tone} ${data.selected ? "selected" : ""}`}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="dag-label" title={data.label}>
        {data.label}
      </div>
      {data.sublabel && <div className="dag-sub">{data.sublabel}</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const nodeTypes = { card: Card };

/** Lays the graph out left to right with ELK's layered algorithm (edges routed between layers). */
async function layout(nodes: readonly DagNode[], edges: readonly DagEdge[]) {
  const ids = new Set(nodes.map((n) => n.id));
  elk ??= new ELK({ workerUrl: elkWorkerUrl });
  const graph = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "70",
      "elk.spacing.nodeNode": "28",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges
      .filter((e) => ids.has(e.from) && ids.has(e.to))
      .map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  const positions = new Map((graph.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  return positions;
}

function Graph({
  nodes,
  edges,
  selected,
  onSelect,
  label,
}: {
  nodes: readonly DagNode[];
  edges: readonly DagEdge[];
  selected: string | null;
  onSelect: (id: string) => void;
  label: string;
}) {
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const flow = useReactFlow();
  const shape = `${nodes.map((n) => n.id).join("|")}#${edges.map((e) => `${e.from}>${e.to}`).join("|")}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: lay out again only when the graph's shape changes
  useEffect(() => {
    let cancelled = false;
    layout(nodes, edges)
      .then((p) => {
        if (cancelled) return;
        setPositions(p);
        window.requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1 }));
      })
      .catch((e: unknown) => !cancelled && setError(String(e)));
    return () => {
      cancelled = true;
    };
  }, [shape]);

  if (error) return <div className="state error">Could not lay out the graph: {error}</div>;
  if (!positions) return <Loading label="Laying out the graph…" />;
  const flowNodes: Node<CardData>[] = nodes.map((n) => ({
    id: n.id,
    type: "card",
    position: positions.get(n.id) ?? { x: 0, y: 0 },
    data: {
      label: n.label,
      ...(n.sublabel ? { sublabel: n.sublabel } : {}),
      tone: n.tone ?? "default",
      selected: n.id === selected,
    },
    ariaLabel: `${n.label}${n.sublabel ? `, ${n.sublabel}` : ""}`,
    draggable: false,
    connectable: false,
  }));
  const flowEdges: Edge[] = edges.map((e, i) => ({
    id: `e${i}-${e.from}-${e.to}`,
    source: e.from,
    target: e.to,
    ...(e.label ? { label: e.label } : {}),
    type: "smoothstep",
    className: selected && (e.from === selected || e.to === selected) ? "edge-hot" : "",
  }));
  return (
    <ReactFlow
      nodes={flowNodes}
      edges={flowEdges}
      nodeTypes={nodeTypes}
      onNodeClick={(_, node) => onSelect(node.id)}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      fitView
      minZoom={0.2}
      maxZoom={1.5}
      proOptions={{ hideAttribution: true }}
      aria-label={label}
    >
      <Background gap={18} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

/** An auto-laid-out, pannable graph. Heavy (React Flow + ELK): pages using it are loaded lazily. */
export function DagGraph(props: {
  nodes: readonly DagNode[];
  edges: readonly DagEdge[];
  selected: string | null;
  onSelect: (id: string) => void;
  label: string;
  height?: number;
}) {
  return (
    <div className="dag" style={{ height: props.height ?? 420 }}>
      <ReactFlowProvider>
        <Graph {...props} />
      </ReactFlowProvider>
    </div>
  );
}
