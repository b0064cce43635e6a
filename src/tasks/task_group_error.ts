/**
 * The rejection of a {@linkcode TaskGroup} whose children (or body) failed:
 * an `AggregateError` holding every error that was not caused by the group's
 * own cancellation, in the order they happened. It is an aggregate even for a
 * single error, so handling code never has to guess which shape it gets.
 *
 * @example
 * ```ts
 * import { TaskGroup, TaskGroupError } from "@seed/async/tasks";
 * import { assert } from "chai";
 *
 * const group = new TaskGroup();
 * group.spawn(() => Promise.reject(new Error("boom")));
 * const error = await group.wait().catch((e) => e);
 * assert.instanceOf(error, TaskGroupError);
 * assert.equal(error.errors[0].message, "boom");
 * ```
 */
export class TaskGroupError extends AggregateError {
  /** `"TaskGroupError"`. */
  override name = "TaskGroupError";

  /** Creates the aggregate of `errors`. */
  constructor(errors: unknown[], message?: string) {
    const first = errors[0];
    super(
      errors,
      message ??
        `${errors.length} task${errors.length > 1 ? "s" : ""} failed; first: ${
          first instanceof Error ? first.message : String(first)
        }`,
    );
  }
}
