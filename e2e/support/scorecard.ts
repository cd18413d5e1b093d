import type { TestDetails } from '@playwright/test';
import type { Column } from './modes.js';

/**
 * Ties a test to its cells of docs/SCORECARD.md. The generator (scripts/scorecard.mjs) reads
 * these annotations from Playwright's JSON report: a cell shows `outcome` only while every
 * test tied to it passes, and says FAILED otherwise. Row ids must match the generator's.
 * Claims without a `table` belong to the first table, the seed's threats.
 */
export type ThreatRow =
  | 'xss'
  | 'csrf'
  | 'mitm'
  | 'replay-after-logout'
  | 'revocation'
  | 'cross-domain'
  | 'mobile'
  | 'fixation'
  | 'refresh-reuse'
  | 'robustness';

export const SCORECARD_ANNOTATION = 'scorecard';

/**
 * `residual`: the test proves the outcome as stated, and the outcome itself leaves some risk
 * (shown ⚠️ instead of ✅), so a passing test never reads as "threat gone" when it is not.
 */
export function scorecard(
  row: ThreatRow,
  columns: Column | readonly Column[],
  outcome: string,
  { residual = false }: { residual?: boolean } = {},
): TestDetails {
  const list = typeof columns === 'string' ? [columns] : columns;
  return {
    annotation: list.map((column) => ({
      type: SCORECARD_ANNOTATION,
      description: JSON.stringify({ row, column, outcome, residual }),
    })),
  };
}

/**
 * The second table, "Account takeover" (issue 13): how an attacker would take an account over
 * or stay in it, per mode. New rows (a phished password, persistence through factor changes)
 * are added here and in the generator's TAKEOVER_ROWS.
 */
export type TakeoverRow =
  | 'reset-token-theft'
  | 'enumeration'
  | 'link-poisoning'
  | 'key-persistence'
  | 'weak-passwords'
  | 'phished-password'
  | 'passkey-phishing'
  | 'code-replay'
  | 'factor-persistence';

export const TAKEOVER_TABLE = 'account-takeover';

/** `scorecard` for a cell of the account-takeover table. */
export function takeoverScorecard(
  row: TakeoverRow,
  columns: Column | readonly Column[],
  outcome: string,
  { residual = false }: { residual?: boolean } = {},
): TestDetails {
  const list = typeof columns === 'string' ? [columns] : columns;
  return {
    annotation: list.map((column) => ({
      type: SCORECARD_ANNOTATION,
      description: JSON.stringify({ table: TAKEOVER_TABLE, row, column, outcome, residual }),
    })),
  };
}
