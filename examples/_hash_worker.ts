// The worker module of examples/hash.ts: one handler, the same sha256 the
// inline phase calls. The bytes arrive moved (transferred), not copied, and
// move back with the digest, so neither side ever copies a file.
import { serve, transfer } from "@seed/async/worker";
import { sha256 } from "./_sha256.ts";

serve({
  sha256: (bytes: Uint8Array) =>
    transfer({ digest: sha256(bytes), bytes }, [bytes.buffer]),
});
