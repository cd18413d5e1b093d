/*
 * Every locales/<language>/<namespace>.json, imported by name (not globbed) so any bundler
 * builds it: Vite for the app, esbuild for the client package's browser tests. keys.test.ts
 * fails when a file on disk is missing here.
 */
import enAccount from './locales/en/account.json';
import enAuth from './locales/en/auth.json';
import enComfort from './locales/en/comfort.json';
import enCommon from './locales/en/common.json';
import enFilters from './locales/en/filters.json';
import enFulltext from './locales/en/fulltext.json';
import enOnboarding from './locales/en/onboarding.json';
import enProblems from './locales/en/problems.json';
import enReader from './locales/en/reader.json';
import zhAccount from './locales/zh-CN/account.json';
import zhAuth from './locales/zh-CN/auth.json';
import zhComfort from './locales/zh-CN/comfort.json';
import zhCommon from './locales/zh-CN/common.json';
import zhFilters from './locales/zh-CN/filters.json';
import zhFulltext from './locales/zh-CN/fulltext.json';
import zhOnboarding from './locales/zh-CN/onboarding.json';
import zhProblems from './locales/zh-CN/problems.json';
import zhReader from './locales/zh-CN/reader.json';

export const RESOURCES = {
  en: {
    account: enAccount,
    auth: enAuth,
    comfort: enComfort,
    common: enCommon,
    filters: enFilters,
    fulltext: enFulltext,
    onboarding: enOnboarding,
    problems: enProblems,
    reader: enReader,
  },
  'zh-CN': {
    account: zhAccount,
    auth: zhAuth,
    comfort: zhComfort,
    common: zhCommon,
    filters: zhFilters,
    fulltext: zhFulltext,
    onboarding: zhOnboarding,
    problems: zhProblems,
    reader: zhReader,
  },
};
