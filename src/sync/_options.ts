// The `{ signal }` options bag every wait takes, checked in one place. The
// type is the cancel area's `SignalOptions`, so users meet one name for it.

import type { SignalOptions } from "../cancel/sleep.ts";
import { checkSignalOption } from "../_validate.ts";

export type { SignalOptions };

/** Checks `options` and returns its signal; throws a TypeError naming `where`. */
export function signalOf(
  where: string,
  options: SignalOptions | undefined,
): AbortSignal | undefined {
  return checkSignalOption(where, options);
}
