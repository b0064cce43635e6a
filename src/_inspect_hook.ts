// The one seam between the library and `@seed/async/inspect`. It is `null`
// unless an inspector is enabled, so every call site is a single
// `inspectHook?.…` check: no inspector, no cost beyond reading a binding.
// The areas import only this module, never the inspector itself.

/** What an enabled inspector is told; `key` is the object being recorded. */
export interface InspectHook {
  /** A TaskGroup was created, linked to `parent` (its outer signal). */
  group(
    key: object,
    parent: AbortSignal | undefined,
    signal: AbortSignal,
  ): void;
  /** A CancelScope was created, linked to `parent` (even when shielded). */
  scope(
    key: object,
    parent: AbortSignal | undefined,
    signal: AbortSignal,
  ): void;
  /** A task was spawned into `group`; it stays queued until {@linkcode run}. */
  spawn(key: object, group: object): void;
  /**
   * Calls `fn(signal)` for the task `key`, which starts running now. Waits
   * begun during the call on `signal` belong to this task even when it
   * shares its group's signal.
   */
  run<R>(key: object, fn: (signal: AbortSignal) => R, signal: AbortSignal): R;
  /** A group, task or scope ended: a task passes its final state and outcome. */
  end(key: object, state?: string, outcome?: unknown): void;
  /** `child` (from linkSignals) belongs to whatever owns one of `parents`. */
  link(child: AbortSignal, parents: readonly AbortSignal[]): void;
  /** A wait named `op` began on `signal`; `key` identifies it until {@linkcode leave}. */
  enter(key: object, signal: AbortSignal, op: string): void;
  /** The wait `key` ended (settled, aborted or handed its value). */
  leave(key: object): void;
}

/** The enabled inspector's hook, or `null`. */
export let inspectHook: InspectHook | null = null;

/** Installs (or, with `null`, removes) the hook. */
export function setInspectHook(hook: InspectHook | null): void {
  inspectHook = hook;
}
