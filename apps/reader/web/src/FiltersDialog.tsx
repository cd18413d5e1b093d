import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { Dialog } from './Dialog';
import { describeError } from './errors';
import { FormAlert } from './FormAlert';
import { Icon } from './Icon';
import type { FilterAction, FilterField, FilterRule, FilterRuleInput, Subscription } from './types';
import './filters.css';

/** The server's limit on rules per user (filters/filter-rule.ts). */
const MAX_RULES = 100;
const ACTIONS: readonly FilterAction[] = ['hide', 'keepOnly', 'star', 'markRead'];
const FIELDS: readonly FilterField[] = ['title', 'author', 'content'];

/** Keywords as typed: one a line, or between commas (Chinese and Latin ones alike). */
function splitKeywords(text: string): string[] {
  return text
    .split(/[\n,，、;；]/u)
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword !== '');
}

interface FiltersDialogProps {
  subscriptions: Subscription[];
  /** A rule was added, changed or deleted: lists and counts are to be loaded again. */
  onChanged: () => void;
  onSessionEnded: (error: unknown) => boolean;
  onClose: () => void;
}

type RulesState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; rules: FilterRule[] };

interface Draft {
  /** The rule being edited; undefined for a new one. */
  id: string | undefined;
  action: FilterAction;
  /** '' for every subscription. */
  subscriptionId: string;
  keywords: string;
  fields: FilterField[];
}

const NEW_RULE: Draft = { id: undefined, action: 'hide', subscriptionId: '', keywords: '', fields: [...FIELDS] };

/** The user's filter rules: what each does, and a form to add or change one. */
export function FiltersDialog({ subscriptions, onChanged, onSessionEnded, onClose }: FiltersDialogProps) {
  const { t } = useTranslation();
  const [state, setState] = useState<RulesState>({ kind: 'loading' });
  const [draft, setDraft] = useState<Draft>(NEW_RULE);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const actionNames: Record<FilterAction, string> = {
    hide: t('filters:actions.hide'),
    keepOnly: t('filters:actions.keepOnly'),
    star: t('filters:actions.star'),
    markRead: t('filters:actions.markRead'),
  };
  const fieldNames: Record<FilterField, string> = {
    title: t('filters:fields.title'),
    author: t('filters:fields.author'),
    content: t('filters:fields.content'),
  };

  const load = useCallback(async () => {
    try {
      setState({ kind: 'ready', rules: await api.filterRules() });
    } catch (error) {
      if (!onSessionEnded(error)) setState({ kind: 'error', message: describeError(error).message });
    }
  }, [onSessionEnded]);

  useEffect(() => {
    void load();
  }, [load]);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
      await load();
      onChanged();
    } catch (error) {
      if (!onSessionEnded(error)) {
        const described = describeError(error);
        setProblem(described.code === 'conflict' ? t('filters:rules.tooMany', { max: MAX_RULES }) : described.message);
      }
    }
    setBusy(false);
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const keywords = splitKeywords(draft.keywords);
    if (keywords.length === 0) {
      setProblem(t('filters:rules.noKeywords'));
      return;
    }
    if (draft.fields.length === 0) {
      setProblem(t('filters:rules.noFields'));
      return;
    }
    const rule: FilterRuleInput = {
      action: draft.action,
      subscriptionId: draft.subscriptionId === '' ? null : draft.subscriptionId,
      fields: draft.fields,
      keywords,
    };
    const { id } = draft;
    void run(async () => {
      if (id === undefined) await api.createFilterRule(rule);
      else await api.updateFilterRule(id, rule);
      setDraft(NEW_RULE);
    });
  }

  const feedName = (subscriptionId: string | null) =>
    subscriptionId === null
      ? t('filters:rules.allFeeds')
      : (subscriptions.find((s) => s.id === subscriptionId)?.title ?? t('filters:rules.allFeeds'));

  return (
    <Dialog title={t('filters:rules.title')} onClose={onClose}>
      <p className="form-intro filters-intro">{t('filters:rules.intro')}</p>

      {state.kind === 'loading' && <p className="filters-status">{t('common:loading')}</p>}
      {state.kind === 'error' && (
        <div role="alert" className="alert">
          <p>{t('filters:rules.loadFailed', { message: state.message })}</p>
        </div>
      )}
      {state.kind === 'ready' && state.rules.length === 0 && (
        <p className="filters-status">{t('filters:rules.empty')}</p>
      )}
      {state.kind === 'ready' && state.rules.length > 0 && (
        <ul className="filter-rules" aria-label={t('filters:rules.listLabel')}>
          {state.rules.map((rule) => (
            <li key={rule.id} className={draft.id === rule.id ? 'filter-rule filter-rule-editing' : 'filter-rule'}>
              <div className="filter-rule-text">
                <p className="filter-rule-summary">
                  <strong>{actionNames[rule.action]}</strong>
                  <span aria-hidden="true"> · </span>
                  {feedName(rule.subscriptionId)}
                  <span aria-hidden="true"> · </span>
                  {rule.fields.map((field) => fieldNames[field]).join(t('filters:rules.listSeparator'))}
                </p>
                <ul className="tag-chips">
                  {rule.keywords.map((keyword) => (
                    <li key={keyword} className="tag-chip filter-keyword">
                      {keyword}
                    </li>
                  ))}
                </ul>
              </div>
              <div className="filter-rule-actions">
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={busy}
                  onClick={() => {
                    setProblem(undefined);
                    setDraft({
                      id: rule.id,
                      action: rule.action,
                      subscriptionId: rule.subscriptionId ?? '',
                      keywords: rule.keywords.join('\n'),
                      fields: rule.fields,
                    });
                  }}
                >
                  {t('filters:rules.edit')}
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('filters:rules.delete', { keywords: rule.keywords.join(', ') })}
                  title={t('filters:rules.delete', { keywords: rule.keywords.join(', ') })}
                  disabled={busy}
                  onClick={() => {
                    void run(async () => {
                      await api.deleteFilterRule(rule.id);
                      if (draft.id === rule.id) setDraft(NEW_RULE);
                    });
                  }}
                >
                  <Icon name="trash" />
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      <form
        className="form filter-form"
        onSubmit={onSubmit}
        aria-label={draft.id === undefined ? t('filters:rules.newRule') : t('filters:rules.editRule')}
      >
        <h3 className="form-title">
          {draft.id === undefined ? t('filters:rules.newRule') : t('filters:rules.editRule')}
        </h3>
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem}</p>
          </FormAlert>
        )}
        <div className="filter-form-row">
          <div className="field">
            <label htmlFor="filter-action">{t('filters:rules.action')}</label>
            <select
              id="filter-action"
              className="input select"
              value={draft.action}
              onChange={(event) => {
                const action = ACTIONS.find((known) => known === event.target.value) ?? 'hide';
                setDraft({ ...draft, action });
              }}
            >
              {ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {actionNames[action]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-scope">{t('filters:rules.scope')}</label>
            <select
              id="filter-scope"
              className="input select"
              value={draft.subscriptionId}
              onChange={(event) => {
                setDraft({ ...draft, subscriptionId: event.target.value });
              }}
            >
              <option value="">{t('filters:rules.allFeeds')}</option>
              {subscriptions.map((subscription) => (
                <option key={subscription.id} value={subscription.id}>
                  {subscription.title}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="field-hint">
          {draft.action === 'star' || draft.action === 'markRead'
            ? t('filters:rules.arrivalHint')
            : t('filters:rules.listingHint')}
        </p>
        <div className="field">
          <label htmlFor="filter-keywords">{t('filters:rules.keywords')}</label>
          <textarea
            id="filter-keywords"
            className="input filter-keywords-input"
            rows={3}
            value={draft.keywords}
            aria-describedby="filter-keywords-hint"
            onChange={(event) => {
              setDraft({ ...draft, keywords: event.target.value });
            }}
          />
          <p id="filter-keywords-hint" className="field-hint">
            {t('filters:rules.keywordsHint')}
          </p>
        </div>
        <fieldset className="filter-fields">
          <legend>{t('filters:rules.fields')}</legend>
          {FIELDS.map((field) => (
            <div key={field} className="checkbox">
              <input
                id={`filter-field-${field}`}
                type="checkbox"
                checked={draft.fields.includes(field)}
                onChange={(event) => {
                  const fields = event.target.checked
                    ? FIELDS.filter((known) => known === field || draft.fields.includes(known))
                    : draft.fields.filter((known) => known !== field);
                  setDraft({ ...draft, fields });
                }}
              />
              <label htmlFor={`filter-field-${field}`}>{fieldNames[field]}</label>
            </div>
          ))}
        </fieldset>
        <div className="dialog-actions">
          <span className="toolbar-spacer" />
          {draft.id !== undefined && (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                setProblem(undefined);
                setDraft(NEW_RULE);
              }}
            >
              {t('common:cancel')}
            </button>
          )}
          <button
            type="submit"
            className="button button-primary button-small button-inline"
            disabled={busy}
            aria-busy={busy}
          >
            {draft.id === undefined ? t('filters:rules.add') : t('filters:rules.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
