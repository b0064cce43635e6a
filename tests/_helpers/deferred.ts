// Tests order events by hand with deferred promises; the library's own
// ponyfill serves (Promise.withResolvers is missing on Node 20).
export { type Deferred, deferred } from "../../src/_deferred.ts";
