// DisposableStack for runtimes that lack it (Node 20, WebKit), built by the
// stack ponyfill both stacks share.

import { disposeSymbol } from "../_symbols.ts";
import { disposeAll } from "./_resources.ts";
import { stackClass } from "./_stack_ponyfill.ts";
import type { DisposableStackConstructor } from "./disposable_stack.ts";

export const DisposableStackPonyfill = /* @__PURE__ */ stackClass(
  "DisposableStack",
  "dispose",
  "onDispose",
  [disposeSymbol],
  disposeAll,
) as DisposableStackConstructor;
