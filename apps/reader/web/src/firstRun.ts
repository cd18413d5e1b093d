/**
 * Whether this install has no account yet (GET /api/first-run; the server says why it asks
 * the install and not the browser). A fresh install's first visitor comes to create an
 * account, so the signed-out page opens on that form, not on "Welcome back". Never throws:
 * when the answer does not come, the page opens on sign-in, as it always did.
 */
export async function isFirstRun(): Promise<boolean> {
  try {
    const response = await fetch('/api/first-run', { credentials: 'same-origin' });
    if (!response.ok) return false;
    const body = (await response.json()) as { firstRun?: unknown };
    return body.firstRun === true;
  } catch {
    return false;
  }
}
