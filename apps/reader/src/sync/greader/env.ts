import type { AppPasswordUser } from '@gatehouse/core';
import type { GatehouseEnv } from '@gatehouse/hono';
import type { RequestParams } from './request-params.js';

/** What the Google Reader routes find on the context once auth and parameters are read. */
export interface GreaderEnv {
  Variables: GatehouseEnv['Variables'] & {
    /** Set by requireAppUser: the user the GoogleLogin token belongs to. */
    appUser: AppPasswordUser;
    /** Set by readParams: query and form fields together. */
    params: RequestParams;
  };
}
