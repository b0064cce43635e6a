// The worker of bench/worker.ts: the pool's handlers.
import { serve } from "../src/worker/mod.ts";
import { port, spin } from "./_worker_common.ts";

serve({ echo: (value: unknown) => value, spin }, { port: port as never });
