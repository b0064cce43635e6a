/**
 * A live timeline of a TaskGroup, in the browser (examples/browser/index.html).
 *
 * Each run spawns `tasks` tasks into a `TaskGroup` with a `limit`; each one
 * sleeps for its (seeded) duration inside `withTimeout`. The page draws
 * every task as a bar that grows while it runs, coloured by outcome:
 *
 * - done; timed out (its own timeout: recorded, not a group failure);
 * - failed (the "Fail a task" button makes the first running task throw),
 *   which aborts the group: every sibling is cancelled, and queued ones
 *   never start;
 * - cancelled (a sibling failed, or "Cancel group" called `group.cancel()`).
 *
 * Outcome counts are in the DOM for tests: `#status[data-state][data-run]`
 * and `#counts[data-done][data-failed][data-cancelled][data-not-started]
 * [data-timed-out][data-running][data-queued]`.
 *
 * Next to the timeline, an inspector (`enableInspector`) draws the live
 * task tree (`#tree`, with `data-nodes`, `data-running`, `data-waiting`,
 * `data-queued`, `data-cancelling` counts), and `watchEventLoop` lists the
 * stalls it sees (`#stalls[data-count]`, each `li[data-ms]`); "Block the loop
 * for 300 ms" makes one.
 *
 * Build and open: `node tools/browser_demo/run.mjs --serve`.
 */
import {
  isTimeoutError,
  linkSignals,
  sleep,
  withTimeout,
} from "@seed/async/cancel";
import {
  enableInspector,
  type InspectNode,
  watchEventLoop,
} from "@seed/async/inspect";
import { TaskGroup } from "@seed/async/tasks";

type BarState =
  | "queued"
  | "running"
  | "done"
  | "failed"
  | "cancelled"
  | "not-started"
  | "timed-out";
type RunState = "running" | "done" | "failed" | "cancelled";

interface Bar {
  index: number;
  duration: number;
  state: BarState;
  start?: number;
  end?: number;
  /** Aborting it makes the task throw: the "Fail a task" button. */
  trip: AbortController;
  el: HTMLElement;
  limitEl: HTMLElement;
}

interface Run {
  id: number;
  started: number;
  timeout: number;
  limit: number;
  state: RunState;
  note: string;
  group: TaskGroup;
  bars: Bar[];
  el: HTMLElement;
  title: HTMLElement;
  axis: HTMLElement;
}

const COUNTED: BarState[] = [
  "done",
  "failed",
  "cancelled",
  "not-started",
  "timed-out",
  "running",
  "queued",
];
const HISTORY = 4; // runs kept on the page

const $ = <T extends HTMLElement>(id: string) =>
  document.getElementById(id) as T;
const form = $<HTMLFormElement>("controls");
const startButton = $<HTMLButtonElement>("start");
const failButton = $<HTMLButtonElement>("fail");
const cancelButton = $<HTMLButtonElement>("cancel");
const statusEl = $("status");
const countsEl = $("counts");
const runsEl = $("runs");
const blockButton = $<HTMLButtonElement>("block");
const treeEl = $("tree");
const stallsEl = $("stalls");

// Recorded for the page's whole life; only the two most recent ended
// children of each node (and ended runs) stay listed.
const inspector = enableInspector({ keepSettled: 2 });

let current: Run | undefined;
let runs = 0;

/** Seeded durations, 300–1500 ms in 200 ms steps: the same every run. */
const durationOf = (index: number) => 300 + ((index * 5) % 7) * 200;

const number = (id: string, fallback: number) => {
  const value = Number($<HTMLInputElement>(id).value);
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
};

function element(tag: string, className = "", text = ""): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

function startRun() {
  const count = number("tasks", 10);
  const limit = number("limit", 4);
  const timeout = number("timeout", 2000);
  const group = new TaskGroup({ limit, name: `run ${runs + 1}` });
  const run: Run = {
    id: ++runs,
    started: performance.now(),
    timeout,
    limit,
    state: "running",
    note: "",
    group,
    bars: [],
    el: element("section", "run"),
    title: element("h2"),
    axis: element("div", "axis"),
  };
  run.el.dataset.run = String(run.id);
  run.el.append(run.title);
  for (let index = 0; index < count; index++) {
    const row = element("div", "row");
    const track = element("div", "track");
    const bar: Bar = {
      index,
      duration: durationOf(index),
      state: "queued",
      trip: new AbortController(),
      el: element("div", "bar queued"),
      limitEl: element("div", "limit"),
    };
    bar.el.dataset.duration = String(bar.duration);
    bar.limitEl.hidden = true;
    track.append(bar.limitEl, bar.el);
    row.append(
      element("span", "label", `task ${index + 1} · ${bar.duration} ms`),
      track,
    );
    run.el.append(row);
    run.bars.push(bar);
  }
  run.el.append(run.axis);
  runsEl.prepend(run.el);
  while (runsEl.children.length > HISTORY) runsEl.lastElementChild!.remove();
  current = run;

  for (const bar of run.bars) {
    group.spawn(async (signal) => {
      bar.state = "running";
      bar.start = performance.now();
      try {
        await withTimeout(timeout, async (inner) => {
          using link = linkSignals(inner, bar.trip.signal);
          try {
            await sleep(bar.duration, { signal: link.signal });
          } catch (error) {
            if (bar.trip.signal.aborted) {
              throw new Error(`task ${bar.index + 1} failed (button)`);
            }
            throw error;
          }
        }, { signal });
        bar.state = "done";
      } catch (error) {
        if (signal.aborted) bar.state = "cancelled";
        else if (isTimeoutError(error)) {
          bar.state = "timed-out"; // an expected outcome, not a group failure
          return;
        } else bar.state = "failed";
        throw error;
      } finally {
        bar.end = performance.now();
      }
    }, { name: `task ${bar.index + 1}` });
  }
  group.wait().then(
    () => finish(run, group.signal.aborted ? "cancelled" : "done"),
    (error: AggregateError) =>
      finish(run, "failed", error.errors.map(String).join("; ")),
  );
  render();
}

function finish(run: Run, state: RunState, note = "") {
  for (const bar of run.bars) {
    if (bar.state === "queued") bar.state = "not-started"; // cancelled in the queue
  }
  run.state = state;
  run.note = note;
  run.el.dataset.state = state;
  render();
}

/** The counts of one run, by bar state. */
function countsOf(run: Run): Record<BarState, number> {
  const counts = Object.fromEntries(COUNTED.map((s) => [s, 0])) as Record<
    BarState,
    number
  >;
  for (const bar of run.bars) counts[bar.state]++;
  return counts;
}

function drawRun(run: Run, now: number) {
  const end = run.state === "running" ? now : Math.max(
    ...run.bars.map((b) => b.end ?? 0),
    run.started,
  );
  const span = Math.max(3000, Math.ceil((end - run.started) / 1000) * 1000);
  const pct = (ms: number) => `${(100 * ms / span).toFixed(2)}%`;
  for (const bar of run.bars) {
    bar.el.className = `bar ${bar.state}`;
    bar.el.dataset.state = bar.state;
    if (bar.start === undefined) {
      if (bar.state === "not-started") {
        bar.el.style.left = pct(end - run.started);
        bar.el.style.width = "12px";
      } else bar.el.style.width = "0";
      continue;
    }
    bar.el.style.left = pct(bar.start - run.started);
    bar.el.style.width = pct((bar.end ?? now) - bar.start);
    bar.limitEl.hidden = false;
    bar.limitEl.style.left = pct(bar.start - run.started + run.timeout);
    bar.limitEl.hidden = bar.start - run.started + run.timeout > span;
  }
  const counts = countsOf(run);
  const parts = COUNTED.filter((s) => counts[s]).map((s) =>
    `${counts[s]} ${s.replace("-", " ")}`
  );
  const outcome = {
    running: "running",
    done: "completed",
    failed: "failed: siblings cancelled",
    cancelled: "cancelled by group.cancel()",
  }[run.state];
  run.title.innerHTML = "";
  run.title.append(
    `Run ${run.id} — ${outcome} `,
    element(
      "small",
      "",
      `· ${run.bars.length} tasks, limit ${run.limit}, timeout ${run.timeout} ms · ${
        parts.join(", ")
      }${run.note ? ` · ${run.note}` : ""}`,
    ),
  );
  run.axis.replaceChildren(
    ...Array.from(
      { length: 6 },
      (_, i) => element("span", "", `${((span * i) / 5 / 1000).toFixed(1)} s`),
    ),
  );
}

function render() {
  const now = performance.now();
  const run = current;
  if (!run) return;
  drawRun(run, now);
  const counts = countsOf(run);
  statusEl.dataset.state = run.state;
  statusEl.dataset.run = String(run.id);
  statusEl.textContent = `Run ${run.id}: ${run.state}`;
  countsEl.replaceChildren();
  for (const state of COUNTED) {
    countsEl.dataset[camel(state)] = String(counts[state]);
    const item = element("span");
    item.append(
      element("i", `swatch ${state}`),
      `${counts[state]} ${state.replace("-", " ")}`,
    );
    if (counts[state] || state === "done" || state === "failed") {
      countsEl.append(item);
    }
  }
  const running = run.state === "running";
  startButton.disabled = running;
  cancelButton.disabled = !running;
  failButton.disabled = !running || counts.running === 0;
  if (running) requestAnimationFrame(render);
}

const camel = (s: string) =>
  s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (current?.state !== "running") startRun();
});
failButton.addEventListener("click", () => {
  const victim = current?.bars.find((bar) => bar.state === "running");
  victim?.trip.abort();
});
cancelButton.addEventListener("click", () => current?.group.cancel());

// ------------------------------------------------------- tree and stalls

const TREE_STATES = ["running", "waiting", "queued", "cancelling"] as const;

/** Redraws the task tree; "cancelling" lines are flagged in red. */
function renderTree() {
  const nodes = (function flat(list: InspectNode[]): InspectNode[] {
    return list.flatMap((node) => [node, ...flat(node.children)]);
  })(inspector.snapshot());
  treeEl.dataset.nodes = String(nodes.length);
  for (const state of TREE_STATES) {
    treeEl.dataset[state] = String(
      nodes.filter((node) => node.state === state).length,
    );
  }
  const lines = inspector.format().split("\n");
  treeEl.replaceChildren(
    ...lines.map((line) =>
      element("div", line.includes("CANCELLING") ? "cancelling" : "", line)
    ),
  );
  treeEl.scrollTop = treeEl.scrollHeight; // the latest run is last
}
setInterval(renderTree, 200);

watchEventLoop({
  threshold: 100,
  onStall({ ms, at }) {
    const item = element(
      "li",
      "",
      `${new Date(at).toLocaleTimeString()}: the loop was blocked ~${ms} ms`,
    );
    item.dataset.ms = String(ms);
    stallsEl.prepend(item);
    stallsEl.dataset.count = String(Number(stallsEl.dataset.count) + 1);
    while (stallsEl.children.length > 8) stallsEl.lastElementChild!.remove();
  },
});

blockButton.addEventListener("click", () => {
  const end = performance.now() + 300;
  while (performance.now() < end); // a long synchronous job, on purpose
});
