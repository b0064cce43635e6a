import { inspectHook, setInspectHook } from "../_inspect_hook.ts";
import { defineMethod, disposeSymbol } from "../_symbols.ts";
import { checkInteger, checkOptions } from "../_validate.ts";
import { formatTree } from "./_format.ts";
import {
  deadlineOf,
  nameOf,
  type NodeKind,
  type NodeState,
  type RecordedNode,
  Recorder,
} from "./_recorder.ts";

export type { NodeKind, NodeState };

/**
 * One group, task or scope in an {@linkcode Inspector.snapshot}: plain JSON
 * (`JSON.stringify` round-trips it).
 */
export interface InspectNode {
  /** Unique within the inspector, in creation order. */
  id: number;
  /** What was recorded: a `TaskGroup`, one of its tasks, or a `CancelScope`. */
  kind: NodeKind;
  /** The `name` the group, task or scope was given, if any. */
  name?: string;
  /**
   * `"queued"`: waiting for a `limit` slot; `"running"`; `"waiting"`: in a
   * wait of the library (see `waitingOn`); `"cancelling"`: its signal has
   * aborted but it has not ended yet (it outranks `"waiting"`); then one of
   * the final `"fulfilled"`, `"rejected"`, `"cancelled"`.
   */
  state: NodeState;
  /** When it was created, in ms since the epoch. */
  startedAt: number;
  /** How long it has existed (until now, or until it ended), in ms. */
  ms: number;
  /** Its groups, tasks and scopes, oldest first. */
  children: InspectNode[];
  /** The oldest wait it is in: the primitive (`"sleep"`, `"Queue.get"`, …) and for how long, in ms. */
  waitingOn?: { op: string; ms: number };
  /** A scope's finite deadline, in ms since the epoch (never present for `Infinity`). */
  deadline?: number;
  /** Why it was cancelled or rejected (or is cancelling), as a string. */
  reason?: string;
}

/** Options of {@linkcode enableInspector}. */
export interface InspectorOptions {
  /**
   * How many ended children each node (and the top level) keeps listed,
   * the most recent ones; older ones are dropped. Default `20`.
   */
  keepSettled?: number;
}

/**
 * A recording of every `TaskGroup`, task and `CancelScope` created while it
 * is enabled — `python -m asyncio pstree` for this library. Made by
 * {@linkcode enableInspector}; disposing it stops the recording. What was
 * recorded can still be read, but nothing is recorded after, not even the
 * end of a node recorded before.
 */
export interface Inspector extends Disposable {
  /** Whether it is still recording (not yet disposed). */
  readonly enabled: boolean;

  /**
   * The tree as it is now: the roots (groups, tasks and scopes with no
   * recorded parent), oldest first. States and durations are computed at
   * this moment.
   *
   * @example
   * ```ts
   * import { enableInspector } from "@seed/async/inspect";
   * import { TaskGroup } from "@seed/async/tasks";
   * import { Queue } from "@seed/async/sync";
   * import { assert } from "chai";
   *
   * using inspector = enableInspector();
   * const queue = new Queue<number>();
   * const group = new TaskGroup();
   * group.spawn((signal) => queue.get({ signal }));
   * const [root] = inspector.snapshot();
   * assert.equal(root.kind, "group");
   * assert.equal(root.children[0].state, "waiting");
   * assert.equal(root.children[0].waitingOn?.op, "Queue.get");
   * group.cancel();
   * await group.wait();
   * ```
   */
  snapshot(): InspectNode[];

  /**
   * The tree as text, one line per node in the manner of `pstree`: kind,
   * name, id, state, age and what it waits on. A `"cancelling"` node — aborted
   * but still running, the usual shape of a hang — is written in capitals
   * and marked with `!`.
   *
   * @example
   * ```ts
   * import { sleep } from "@seed/async/cancel";
   * import { enableInspector } from "@seed/async/inspect";
   * import { TaskGroup } from "@seed/async/tasks";
   * import { assert } from "chai";
   *
   * using inspector = enableInspector();
   * const group = new TaskGroup();
   * group.spawn((signal) => sleep(10_000, { signal }));
   * const text = inspector.format();
   * assert.match(text, /^group #\d+ running/);
   * assert.match(text, /└─ task #\d+ waiting \S+ on sleep/);
   * group.cancel();
   * await group.wait();
   * ```
   */
  format(): string;

  /** Stops recording; the hook is removed at no further cost. Idempotent. */
  [Symbol.dispose](): void;
}

// RecordingInspector.prototype[disposeSymbol] is installed by the first
// construction; see defineMethod for why it is not in the class body.
let installed = false;

class RecordingInspector implements Inspector {
  readonly #recorder: Recorder;
  declare [Symbol.dispose]: () => void;

  constructor(recorder: Recorder) {
    installed ||= defineMethod(
      RecordingInspector.prototype,
      disposeSymbol,
      function (this: RecordingInspector) {
        if (inspectHook === this.#recorder) setInspectHook(null);
      },
    );
    this.#recorder = recorder;
    setInspectHook(recorder);
  }

  get enabled(): boolean {
    return inspectHook === this.#recorder;
  }

  snapshot(): InspectNode[] {
    const recorder = this.#recorder;
    const now = Date.now();
    const toJSON = (node: RecordedNode): InspectNode => {
      const state = recorder.stateOf(node);
      const name = nameOf(node.key);
      const deadline = deadlineOf(node.key);
      const json: InspectNode = {
        id: node.id,
        kind: node.kind,
        ...(name === undefined ? {} : { name }),
        state,
        startedAt: node.startedAt,
        ms: (node.state ? node.endedAt : now) - node.startedAt,
        children: node.children().map(toJSON),
      };
      const wait = recorder.waitOf(node);
      if (wait && state === "waiting") {
        json.waitingOn = { op: wait.op, ms: now - wait.at };
      }
      if (Number.isFinite(deadline)) json.deadline = deadline;
      if (node.state ? node.state !== "fulfilled" : state === "cancelling") {
        json.reason = reasonText(
          node.state ? node.reason : node.signal!.reason,
        );
      }
      return json;
    };
    return recorder.root.children().map(toJSON);
  }

  format(): string {
    return formatTree(this.snapshot());
  }
}

/**
 * Starts recording every `TaskGroup`, task and `CancelScope` created from
 * now on, in a tree whose parents are found through the signals that link
 * them, until the returned {@linkcode Inspector} is disposed. With no
 * inspector enabled the library pays one `null` check per group, task,
 * scope and wait.
 *
 * What a node waits on is found through the `signal` the wait was given, so
 * some waits are invisible: waits given no signal, or a signal from
 * `AbortSignal.any`/`AbortSignal.timeout` or from your own
 * `AbortController`, `fetch` and other host APIs, and awaiting a `Task` or
 * `group.wait()`. A task whose function declares no parameter shares its
 * group's signal, so only the waits it begins before its first `await` are
 * its own; later ones show on the group. A group, task or scope with no
 * recorded parent signal is a root.
 *
 * One inspector at a time: enabling another while one is enabled throws.
 *
 * @throws {Error} an inspector is already enabled.
 * @throws {RangeError} `keepSettled` is not an integer ≥ 0.
 *
 * @example
 * ```ts
 * import { CancelScope, sleep } from "@seed/async/cancel";
 * import { enableInspector } from "@seed/async/inspect";
 * import { TaskGroup } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * using inspector = enableInspector();
 * const group = new TaskGroup();
 * group.spawn(async (signal) => {
 *   using scope = new CancelScope({ signal, timeout: 5_000 });
 *   await sleep(10_000, { signal: scope.signal });
 * });
 * const [root] = inspector.snapshot();
 * const scope = root.children[0].children[0];
 * assert.equal(scope.kind, "scope");
 * assert.equal(scope.waitingOn?.op, "sleep");
 * assert.isNumber(scope.deadline);
 * group.cancel();
 * await group.wait();
 * assert.equal(inspector.snapshot()[0].state, "cancelled");
 * ```
 */
export function enableInspector(options?: InspectorOptions): Inspector {
  const { keepSettled = 20 } = checkOptions("enableInspector", options);
  checkInteger("enableInspector", "keepSettled", keepSettled, 0);
  if (inspectHook) {
    throw new Error(
      "enableInspector: an inspector is already enabled; dispose it first",
    );
  }
  return new RecordingInspector(new Recorder(keepSettled, Date.now));
}

/** A reason as text: `Name: message` for errors, `String()` otherwise. */
function reasonText(reason: unknown): string {
  if (reason instanceof Error || reason instanceof DOMException) {
    return reason.message ? `${reason.name}: ${reason.message}` : reason.name;
  }
  try {
    return String(reason);
  } catch {
    return Object.prototype.toString.call(reason);
  }
}
