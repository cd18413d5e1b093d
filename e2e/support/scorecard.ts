import type { TestDetails } from '@playwright/test';
import type { Column } from './modes.js';

/**
 * Ties a test to its cells of docs/SCORECARD.md. The generator (scripts/scorecard.mjs) reads
 * these annotations from Playwright's JSON report: a cell shows `outcome` only while every
 * test tied to it passes, and says FAILED otherwise. Row ids must match the generator's.
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
