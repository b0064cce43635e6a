// The pstree-style text of a snapshot: one line per node, children drawn
// under their parent with box-drawing branches.

import type { InspectNode } from "./inspector.ts";

/** The lines of `roots` and their descendants, joined by newlines. */
export function formatTree(roots: readonly InspectNode[]): string {
  const lines: string[] = [];
  const walk = (node: InspectNode, lead: string, branch: string) => {
    lines.push(lead + branch + describeNode(node));
    const next = lead + (branch === "" ? "" : branch === "├─ " ? "│  " : "   ");
    node.children.forEach((child, i) =>
      walk(child, next, i === node.children.length - 1 ? "└─ " : "├─ ")
    );
  };
  for (const root of roots) walk(root, "", "");
  return lines.join("\n");
}

function describeNode(node: InspectNode): string {
  const name = node.name === undefined ? "" : ` ${JSON.stringify(node.name)}`;
  const state = node.state === "cancelling"
    ? "! CANCELLING (aborted, still running)"
    : node.state;
  let line = `${node.kind}${name} #${node.id} ${state} ${duration(node.ms)}`;
  if (node.waitingOn) {
    line += ` on ${node.waitingOn.op} for ${duration(node.waitingOn.ms)}`;
  }
  const live = !["fulfilled", "rejected", "cancelled"].includes(node.state);
  if (node.deadline !== undefined && live) {
    // A live node's startedAt + ms is now.
    const left = node.deadline - (node.startedAt + node.ms);
    line += left > 0 ? ` deadline in ${duration(left)}` : " deadline passed";
  }
  if (node.reason !== undefined) line += ` — ${node.reason}`;
  return line;
}

/** `850ms`, `12.3s`, `4m05s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${
    String(seconds % 60).padStart(2, "0")
  }s`;
}
