/** Shared test helpers for the guard tests. */

export const failLine = (
  address: string,
  url = "/auth/login_flow/abc",
  agent = "python-requests/2.31",
  time = "2026-11-23 17:30:00.000",
) =>
  `${time} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '${url}'. (${agent})`;

/** Waits until `condition` holds, polling; fails after `timeoutMs` (bounded, never hangs). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
