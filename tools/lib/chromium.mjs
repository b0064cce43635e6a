// How every tool here launches Debian's headless Chromium through
// playwright-core: the flags keep it from reaching for the (closed) network
// at start-up, and each launch gets a fresh profile directory.
export const chromiumPath = process.env.MATRIX_CHROMIUM ?? "/usr/bin/chromium";

/** Launches a persistent context on `profile`; `options` add to the defaults. */
export async function launchChromium(profile, options = {}) {
  const { chromium } = await import("playwright-core");
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    ...options,
  });
}
