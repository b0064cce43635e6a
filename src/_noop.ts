/** Does nothing; the canceller of a timer that never fires. */
export function noop(): void {}
