// AsyncDisposableStack for runtimes that lack it (Node 20, WebKit), built by
// the stack ponyfill both stacks share.

import { asyncDisposeSymbol, disposeSymbol } from "../_symbols.ts";
import { disposeAllAsync } from "./_resources.ts";
import { stackClass } from "./_stack_ponyfill.ts";
import type { AsyncDisposableStackConstructor } from "./async_disposable_stack.ts";

export const AsyncDisposableStackPonyfill = /* @__PURE__ */ stackClass(
  "AsyncDisposableStack",
  "disposeAsync",
  "onDisposeAsync",
  [asyncDisposeSymbol, disposeSymbol],
  disposeAllAsync,
) as AsyncDisposableStackConstructor;
