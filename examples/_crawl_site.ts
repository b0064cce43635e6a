/**
 * The site `examples/crawl.ts` crawls: a small HTTP server on 127.0.0.1 whose
 * pages link to each other and misbehave in seeded, repeatable ways.
 *
 * Deno-specific (`Deno.serve`), like every runtime detail of the examples;
 * the library itself stays web-platform only.
 *
 * @module
 */
import { sleep } from "@seed/async/cancel";

/** How one page of the site behaves. */
export type Behaviour =
  /** Answers after `latency` ms. */
  | { kind: "ok"; latency: number }
  /** Answers, but slowly (still inside a 1 s request timeout). */
  | { kind: "slow"; latency: number }
  /** Answers after `latency` ms, well past a 1 s request timeout. */
  | { kind: "too-slow"; latency: number }
  /** Never answers: the request hangs until the client gives up. */
  | { kind: "hang" }
  /** `503` for the first `failures` requests, then answers: retry helps. */
  | { kind: "flaky"; failures: number; latency: number }
  /** `500` every time: retrying does not help. */
  | { kind: "broken" }
  /** Redirects forever: a two-URL cycle, or (`endless`) an ever-longer chain. */
  | { kind: "redirect-loop"; endless: boolean }
  /** `301` to its new address, which answers. */
  | { kind: "moved"; latency: number };

/** One page of the generated site. */
export interface PagePlan {
  path: string;
  behaviour: Behaviour;
  /** Paths this page links to (some of them broken: `/missing/…`). */
  links: string[];
}

/** A running site; `close()` releases hanging requests and shuts it down. */
export interface Site {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly plan: readonly PagePlan[];
  /** Requests served so far (every attempt, every redirect hop). */
  readonly requests: number;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same site. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Plans a site of `pages` pages from `seed`. Page 0 (`/`) is healthy; of the
 * rest, fixed shares are slow, hang, fail, redirect in loops…, shuffled by
 * the seed, so every run with the same options meets the same trouble.
 */
export function planSite(pages: number, seed: number): PagePlan[] {
  const rand = random(seed);
  const between = (lo: number, hi: number) =>
    Math.round(lo + rand() * (hi - lo));
  const share = (fraction: number) => Math.max(1, Math.round(pages * fraction));

  const kinds: Behaviour["kind"][] = [];
  const add = (kind: Behaviour["kind"], n: number) => {
    for (let i = 0; i < n && kinds.length < pages - 1; i++) kinds.push(kind);
  };
  add("hang", share(0.04));
  add("too-slow", share(0.03));
  add("broken", share(0.04));
  add("flaky", share(0.1));
  add("redirect-loop", share(0.04));
  add("moved", share(0.03));
  add("slow", share(0.12));
  while (kinds.length < pages - 1) kinds.push("ok");
  for (let i = kinds.length - 1; i > 0; i--) { // Fisher–Yates, seeded
    const j = Math.floor(rand() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  kinds.unshift("ok");

  let loops = 0;
  return kinds.map((kind, i): PagePlan => {
    let behaviour: Behaviour;
    switch (kind) {
      case "ok":
        behaviour = { kind, latency: between(10, 120) };
        break;
      case "slow":
        behaviour = { kind, latency: between(300, 700) };
        break;
      case "too-slow":
        behaviour = { kind, latency: between(2_000, 4_000) };
        break;
      case "flaky":
        behaviour = { kind, failures: between(1, 2), latency: between(10, 80) };
        break;
      case "redirect-loop":
        behaviour = { kind, endless: loops++ % 2 === 1 };
        break;
      case "moved":
        behaviour = { kind, latency: between(10, 80) };
        break;
      default:
        behaviour = { kind };
    }
    // The next page and the two "children" keep every page reachable from a
    // healthy one most of the time; two random links make it a web.
    const targets = new Set<number>();
    for (const t of [i + 1, 2 * i + 1, 2 * i + 2]) {
      if (t < pages) targets.add(t);
    }
    for (let k = 0; k < 2; k++) targets.add(Math.floor(rand() * pages));
    targets.delete(i);
    const links = [...targets].map(pathOf);
    if (rand() < 0.05) links.push(`/missing/${i}`); // a broken link: 404
    return { path: pathOf(i), behaviour, links };
  });
}

function pathOf(index: number): string {
  return index === 0 ? "/" : `/page/${index}`;
}

function html(plan: PagePlan): string {
  const title = plan.path === "/" ? "Home" : `Page ${plan.path.slice(6)}`;
  const links = plan.links.map((href) => `<li><a href="${href}">${href}</a>`);
  return `<!doctype html><title>${title}</title><h1>${title}</h1>\n` +
    `<p>${"Lorem ipsum dolor sit amet. ".repeat(8 + plan.links.length)}</p>\n` +
    `<ul>${links.join("")}</ul>\n`;
}

/** Starts the site on 127.0.0.1 (a free port) and returns once it listens. */
export async function startSite(
  options: { pages: number; seed: number },
): Promise<Site> {
  const plan = planSite(options.pages, options.seed);
  const byPath = new Map(plan.map((page) => [page.path, page]));
  const hits = new Map<string, number>();
  const stop = new AbortController(); // releases hanging handlers on close
  let requests = 0;

  /** Waits `ms` (or forever) unless the site closes first. */
  const delay = (ms: number) => sleep(ms, { signal: stop.signal });
  const page = (p: PagePlan, status = 200) =>
    new Response(html(p), {
      status,
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  const redirect = (location: string, status = 302) =>
    new Response(null, { status, headers: { location } });

  const handle = async (request: Request): Promise<Response> => {
    requests++;
    const { pathname } = new URL(request.url);
    const hit = (hits.get(pathname) ?? 0) + 1;
    hits.set(pathname, hit);

    // Redirect-loop targets: /loop/<n>/a ⇄ /loop/<n>/b and /chain/<n>/<k> → k+1
    const loop = pathname.match(/^\/loop\/(\d+)\/([ab])$/);
    if (loop) {
      return redirect(`/loop/${loop[1]}/${loop[2] === "a" ? "b" : "a"}`);
    }
    const chain = pathname.match(/^\/chain\/(\d+)\/(\d+)$/);
    if (chain) return redirect(`/chain/${chain[1]}/${Number(chain[2]) + 1}`);
    const moved = pathname.match(/^\/new(\/.*)$/);
    const p = byPath.get(moved ? moved[1] : pathname);
    if (!p) return new Response("not found\n", { status: 404 });
    const b = p.behaviour;
    if (moved) {
      if (b.kind !== "moved") {
        return new Response("not found\n", { status: 404 });
      }
      await delay(b.latency);
      return page(p);
    }
    const index = p.path === "/" ? 0 : Number(p.path.slice(6));
    switch (b.kind) {
      case "hang":
        await delay(Infinity);
        return page(p); // not reached: the delay only ends by rejecting
      case "broken":
        await delay(20);
        return new Response("internal error\n", { status: 500 });
      case "flaky":
        await delay(b.latency);
        return hit <= b.failures
          ? new Response("try again\n", { status: 503 })
          : page(p);
      case "redirect-loop":
        return redirect(
          b.endless ? `/chain/${index}/1` : `/loop/${index}/a`,
        );
      case "moved":
        return redirect(`/new${p.path}`, 301);
      default:
        await delay(b.latency);
        return page(p);
    }
  };

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: (addr) => listening.resolve(addr),
    // A handler cut short (client gone, site closing) answers 503 quietly.
    onError: () => new Response("unavailable\n", { status: 503 }),
  }, handle);
  const addr = await listening.promise;

  return {
    origin: `http://127.0.0.1:${addr.port}`,
    plan,
    get requests() {
      return requests;
    },
    async close() {
      stop.abort();
      await server.shutdown();
    },
  };
}
