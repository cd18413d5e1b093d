/**
 * One answer for every bad link token (unknown, used, expired, superseded, guessed): which
 * one it was is for the audit trail, not for whoever holds the link.
 */
export const INVALID_LINK = 'This link is invalid or has expired. Ask for a new one.';
