import type { GatehouseEnv } from '@gatehouse/hono';
import { Hono } from 'hono';
import type { Reader } from '../reader.js';
import { jsonBody, notFound, userIdOf } from '../routes/input.js';
import { toApiFilterRule } from '../routes/serializers.js';
import { ensureCoverage } from './rule-coverage.js';
import { CreateRuleInput, UpdateRuleInput } from './filter-rule.js';

/**
 * /api/filters: the user's filter rules (filter-rule.ts says what they do). A rule that
 * hides or keeps is applied to the items already there before the answer: the list the
 * client loads next is filtered.
 */
export function filterRoutes(reader: Reader): Hono<GatehouseEnv> {
  const routes = new Hono<GatehouseEnv>();

  /** A rule's subscription must be one of the user's own. */
  const checkSubscription = async (userId: string, id: string | null | undefined) => {
    if (id !== null && id !== undefined && (await reader.subscriptions.find(userId, id)) === undefined) {
      throw notFound('subscription');
    }
  };

  const load = async (userId: string, id: string) => {
    const rule = await reader.filters.find(userId, id);
    if (rule === undefined) throw notFound('filter rule');
    return rule;
  };

  routes.get('/', async (c) => {
    const rules = await reader.filters.list(userIdOf(c));
    return c.json({ rules: rules.map(toApiFilterRule) });
  });

  routes.post('/', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, CreateRuleInput);
    await checkSubscription(userId, input.subscriptionId);
    const rule = await reader.filters.create(userId, input, reader.clock());
    await ensureCoverage(reader.db, userId);
    return c.json({ rule: toApiFilterRule(rule) }, 201);
  });

  routes.patch('/:id', async (c) => {
    const userId = userIdOf(c);
    const input = await jsonBody(c, UpdateRuleInput);
    const id = c.req.param('id');
    await load(userId, id);
    await checkSubscription(userId, input.subscriptionId);
    await reader.filters.update(userId, id, input, reader.clock());
    await ensureCoverage(reader.db, userId);
    return c.json({ rule: toApiFilterRule(await load(userId, id)) });
  });

  routes.delete('/:id', async (c) => {
    if (!(await reader.filters.delete(userIdOf(c), c.req.param('id')))) throw notFound('filter rule');
    return c.body(null, 204);
  });

  return routes;
}
