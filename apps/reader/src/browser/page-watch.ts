import type { BrowserContext, Page } from 'playwright-core';

/** What a page did that script or markup could have caused, as seen from outside it. */
export interface PageWatch {
  /** alert/confirm/prompt/beforeunload dialogs, "type: message" (each is dismissed). */
  dialogs: string[];
  /** Every request URL the page and its frames made, in order. */
  requests: string[];
  /** Main-frame navigations after the watch started. */
  navigations: string[];
  /** Addresses of pages opened from the context (window.open, target=_blank), each closed once loaded. */
  popups: string[];
  /** Console errors, "text (url)", CSP reports among them. */
  consoleErrors: string[];
  /** The console errors that are Content-Security-Policy refusals. */
  cspViolations(): string[];
}

/**
 * Listens from the Playwright side, outside the page: a payload that ran can't hide from
 * these by patching window.alert or fetch.
 */
export function watchPage(context: BrowserContext, page: Page): PageWatch {
  const watch: Omit<PageWatch, 'cspViolations'> = {
    dialogs: [],
    requests: [],
    navigations: [],
    popups: [],
    consoleErrors: [],
  };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => undefined);
  });
  page.on('request', (request) => {
    watch.requests.push(request.url());
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) watch.navigations.push(frame.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  context.on('page', (opened) => {
    // A new tab starts at about:blank: its address is known once it has loaded.
    opened
      .waitForLoadState('domcontentloaded')
      .then(() => {
        watch.popups.push(opened.url());
        return opened.close();
      })
      .catch(() => undefined);
  });
  return {
    ...watch,
    cspViolations: () => watch.consoleErrors.filter((text) => text.includes('Content Security Policy')),
  };
}
