import { tuiCommand } from './newsboat-cli.js';
import type { NewsboatProfile } from './newsboat-profile.js';
import { TmuxSession } from './tmux-session.js';

/**
 * newsboat's interactive screens, driven by keystrokes as a user would. Every step waits
 * for the screen it leads to (the title bar names it), so a wrong keystroke fails with the
 * screen it produced instead of silently doing something else.
 */

/** Starts newsboat on its cached feeds and waits for the feed list. */
export async function startNewsboatTui(profile: NewsboatProfile): Promise<TmuxSession> {
  const session = await TmuxSession.start({ dir: profile.dir, command: tuiCommand(profile), env: profile.env });
  await session.waitForScreen((screen) => titleBar(screen).includes('Your feeds'), 'the feed list');
  return session;
}

/** Opens a feed of the feed list, as Enter does, and waits for its article list. */
export async function openFeed(session: TmuxSession, feedTitle: string): Promise<void> {
  await openListEntry(session, feedTitle, `Articles in feed '${feedTitle}'`);
}

/**
 * Opens a feed, then one of its articles, as Enter does: opening an article is what marks
 * it read in newsboat (and what makes newsboat tell the server). Then goes back to the
 * article list with `q`.
 */
export async function readArticle(session: TmuxSession, feedTitle: string, articleTitle: string): Promise<void> {
  await openFeed(session, feedTitle);
  await openListEntry(session, articleTitle, `Article '${articleTitle}'`);
  await session.sendKeys('q');
  await session.waitForScreen(
    (screen) => titleBar(screen).includes(`Articles in feed '${feedTitle}'`),
    'the article list again',
  );
}

/** In an article list: flips an article between read and unread with `N` (toggle-article-read). */
export async function toggleRead(session: TmuxSession, articleTitle: string): Promise<void> {
  const before = rowOf(await moveTo(session, articleTitle), articleTitle);
  await session.sendKeys('N');
  await session.waitForScreen(
    (screen) => isUnreadRow(rowOf(screen, articleTitle)) !== isUnreadRow(before),
    `${JSON.stringify(articleTitle)} to change its read flag`,
  );
}

/** In an article list: marks every article of the feed read with `A` (mark-feed-read). */
export async function markFeedRead(session: TmuxSession): Promise<void> {
  await session.sendKeys('A');
  await session.waitForScreen((screen) => titleBar(screen).includes('(0 unread'), 'no unread article left');
}

/** Quits with `Q` (from any screen) and waits until newsboat has exited. */
export async function quitNewsboat(session: TmuxSession): Promise<void> {
  await session.sendKeys('Q');
  await session.waitForExit();
}

/** Moves the cursor to the row ending with `title`, presses Enter and waits for the screen titled `next`. */
async function openListEntry(session: TmuxSession, title: string, next: string): Promise<void> {
  await moveTo(session, title);
  await session.sendKeys('Enter');
  await session.waitForScreen((after) => titleBar(after).includes(next), JSON.stringify(next));
}

/**
 * Puts the cursor on the list row ending with `title`: Home, then Down as many times as the
 * row's number says. Returns the screen it read the rows from.
 */
async function moveTo(session: TmuxSession, title: string): Promise<string> {
  const screen = await session.screen();
  const position = /^\s*(\d+)\s/.exec(rowOf(screen, title))?.[1];
  if (position === undefined) throw new Error(`no numbered row ${JSON.stringify(title)} on the screen:\n${screen}`);
  await session.sendKeys('Home', ...Array.from({ length: Number(position) - 1 }, () => 'Down'));
  return screen;
}

/** The list row ending with `title` (newsboat ends rows with the title), or ''. */
function rowOf(screen: string, title: string): string {
  return (
    screen
      .split('\n')
      .slice(1)
      .find((row) => /^\s*\d+\s/.test(row) && row.trimEnd().endsWith(title)) ?? ''
  );
}

/** newsboat flags an unread article with `N` right after its number. */
function isUnreadRow(row: string): boolean {
  return /^\s*\d+ N/.test(row);
}

function titleBar(screen: string): string {
  return screen.split('\n')[0] ?? '';
}
