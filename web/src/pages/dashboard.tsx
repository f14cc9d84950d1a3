// The dashboard: the mandates of the party acted for, grouped by what they wait for, filtered by
// role (given / received) and searched by counterparty, type or reference.
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAppState, useLabels } from '../app-state.js';
import { StatusTag } from '../components/display.js';
import { PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api, exportUrl } from '../lib/api.js';
import {
  answersKey,
  BULK_ACTIONS,
  type BulkAction,
  eligibleBy,
  isSelectableSection,
  SELECTION_KEY,
  type StoredSelection,
  sectionSelection,
  setSection,
  toggle,
} from '../lib/bulk.js';
import { formatDay } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import { matchesSearch, otherRole, roleOf, SECTIONS, type Section, sectionOf } from '../lib/mandates.js';
import { writeJson } from '../lib/session-storage.js';
import type { Mandate, Role } from '../lib/types.js';
import { partyKey } from '../wizard/draft.js';

export function DashboardPage() {
  return (
    <RequireSession>
      <Dashboard />
    </RequireSession>
  );
}

type RoleFilter = 'all' | Role;

function Dashboard() {
  const { t } = useTranslation();
  const { acting, actingEnterprise, announce } = useAppState();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const roleFilter: RoleFilter = params.get('role') === 'mandator' ? 'mandator' : params.get('role') === 'mandatee' ? 'mandatee' : 'all';
  const query = params.get('q') ?? '';
  const [searchText, setSearchText] = useState(query);
  const [data, setData] = useState<{ items: Mandate[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const navigate = useNavigate();
  const title = actingEnterprise
    ? t('dashboard.titleEnterprise', { id: formatIdentifier('enterprise', actingEnterprise) })
    : t('dashboard.title');
  useDocumentTitle(title);

  useEffect(() => {
    let current = true;
    setData(null);
    setError(null);
    setSelected(new Set());
    api.listMandates(actingEnterprise).then(
      (result) => current && setData(result),
      (failure: unknown) => current && setError(failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure))),
    );
    return () => {
      current = false;
    };
  }, [actingEnterprise]);

  useEffect(() => setSearchText(query), [query]);

  const shown = useMemo(() => {
    if (!data || !acting) return [];
    return data.items
      .map((m) => ({ mandate: m, me: roleOf(m, acting) }))
      .filter((x): x is { mandate: Mandate; me: Role } => x.me !== undefined)
      .filter((x) => roleFilter === 'all' || x.me === roleFilter)
      .filter((x) => matchesSearch(x.mandate, x.me, query, labels.typeLabel(x.mandate.type)));
  }, [data, acting, roleFilter, query, labels]);

  const grouped = useMemo(() => {
    const groups = new Map<Section, { mandate: Mandate; me: Role }[]>(SECTIONS.map((s) => [s, []]));
    for (const item of shown) groups.get(sectionOf(item.mandate, item.me))!.push(item);
    return groups;
  }, [shown]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: announce only when the result set changes
  useEffect(() => {
    if (data) announce(t('dashboard.found', { count: shown.length }));
  }, [data, shown.length, roleFilter, query]);

  const linkWith = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    const search = next.toString();
    return search ? `/mandates?${search}` : '/mandates';
  };
  const filterLink = (filter: RoleFilter) => linkWith((next) => (filter === 'all' ? next.delete('role') : next.set('role', filter)));

  const search = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    if (searchText.trim()) next.set('q', searchText.trim());
    else next.delete('q');
    setParams(next);
  };

  // Only what is shown can stay selected.
  const shownIds = useMemo(() => new Set(shown.map((x) => x.mandate.id)), [shown]);
  const selectedShown = useMemo(() => new Set([...selected].filter((id) => shownIds.has(id))), [selected, shownIds]);
  const eligible = useMemo(() => eligibleBy(shown, selectedShown), [shown, selectedShown]);
  const anySelectable = useMemo(() => shown.some((x) => isSelectableSection(sectionOf(x.mandate, x.me))), [shown]);

  const changeSelection = (next: Set<string>) => {
    setSelected(next);
    announce(t('bulk.selectedCount', { count: [...next].filter((id) => shownIds.has(id)).length }));
  };

  const startBulk = (action: BulkAction) => {
    if (!acting) return;
    const stored: StoredSelection = { actingFor: partyKey(acting), ids: eligible[action].map((m) => m.id) };
    writeJson(SELECTION_KEY, stored);
    writeJson(answersKey(action), undefined);
    navigate(`/bulk/${action}`);
  };

  if (error) return <LoadFailed error={error} title={title} />;

  return (
    <>
      <div className="page-header">
        <PageHeading>{title}</PageHeading>
        <ul className="button-group">
          <li>
            <Link to="/mandates/new" className="button button--primary">
              {t('dashboard.create')}
            </Link>
          </li>
          <li>
            <Link to="/bulk/upload" className="button button--secondary">
              {t('bulk.uploadLink')}
            </Link>
          </li>
        </ul>
      </div>

      <nav className="filter-tabs" aria-label={t('dashboard.filterLabel')}>
        <ul className="filter-tabs__list">
          {(['all', 'mandator', 'mandatee'] as const).map((filter) => (
            <li key={filter}>
              <Link to={filterLink(filter)} className="filter-tabs__link" aria-current={roleFilter === filter ? 'page' : undefined}>
                {filter === 'all' ? t('dashboard.all') : filter === 'mandator' ? t('dashboard.given') : t('dashboard.received')}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <search>
        <form className="search" onSubmit={search}>
          <div className="form-group">
            <label className="label" htmlFor="search">
              {t('dashboard.searchLabel')}
            </label>
            <div id="search-hint" className="hint">
              {t('dashboard.searchHint')}
            </div>
            <div className="search__row">
              <input
                id="search"
                name="q"
                type="search"
                className="input input--medium"
                value={searchText}
                onChange={(event) => setSearchText(event.target.value)}
                aria-describedby="search-hint"
              />
              <button type="submit" className="button button--secondary">
                {t('dashboard.searchButton')}
              </button>
            </div>
          </div>
          {query ? (
            <p className="body">
              <Link to={linkWith((next) => next.delete('q'))}>{t('dashboard.clearSearch')}</Link>
            </p>
          ) : null}
        </form>
      </search>

      {data === null ? (
        <Loading />
      ) : (
        <>
          <p className="body" data-testid="result-count">
            {t('dashboard.found', { count: shown.length })}
          </p>
          {data.truncated ? <p className="body">{t('dashboard.truncated', { count: data.items.length })}</p> : null}
          {data.items.length > 0 ? (
            <p className="body">
              <a href={exportUrl(actingEnterprise)} download>
                {t('bulk.exportLink')}
              </a>
            </p>
          ) : null}
          {shown.length === 0 ? <p className="body">{data.items.length === 0 ? t('dashboard.empty') : t('dashboard.noMatch')}</p> : null}
          {anySelectable ? (
            <section className="bulk-bar" aria-labelledby="bulk-heading" data-testid="bulk-bar">
              <h2 className="heading-s" id="bulk-heading">
                {t('bulk.barHeading')}
              </h2>
              <p className="body" data-testid="selected-count">
                {selectedShown.size === 0 ? t('bulk.noneSelected') : t('bulk.selectedCount', { count: selectedShown.size })}
              </p>
              {selectedShown.size > 0 ? (
                <ul className="button-group">
                  {BULK_ACTIONS.filter((action) => eligible[action].length > 0).map((action) => (
                    <li key={action}>
                      <button
                        type="button"
                        className={`button ${action === 'sign' ? 'button--primary' : action === 'stop' ? 'button--warning' : 'button--secondary'}`}
                        onClick={() => startBulk(action)}
                      >
                        {t(`bulk.actions.${action}`, { count: eligible[action].length })}
                      </button>
                    </li>
                  ))}
                  <li>
                    <button type="button" className="button button--secondary" onClick={() => changeSelection(new Set())}>
                      {t('bulk.clear')}
                    </button>
                  </li>
                </ul>
              ) : null}
            </section>
          ) : null}
          {shown.length > 0
            ? SECTIONS.map((section) => (
                <DashboardSection
                  key={section}
                  section={section}
                  items={grouped.get(section) ?? []}
                  selected={selectedShown}
                  onSelect={changeSelection}
                />
              ))
            : null}
        </>
      )}
    </>
  );
}

function DashboardSection({
  section,
  items,
  selected,
  onSelect,
}: {
  section: Section;
  items: { mandate: Mandate; me: Role }[];
  selected: ReadonlySet<string>;
  onSelect(next: Set<string>): void;
}) {
  const { t } = useTranslation();
  const headingId = `section-${section}`;
  const selectable = isSelectableSection(section) && items.length > 0;
  const ids = items.map((x) => x.mandate.id);
  const state = sectionSelection(ids, selected);
  const allRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <section className="dashboard-section" aria-labelledby={headingId} data-section={section}>
      <h2 className="heading-l" id={headingId}>
        {t(`dashboard.sections.${section}`)} <span className="count">({items.length})</span>
      </h2>
      {selectable ? (
        <div className="checkbox checkbox--all">
          <input
            ref={allRef}
            className="checkbox__input"
            type="checkbox"
            id={`select-all-${section}`}
            checked={state === 'all'}
            onChange={() => onSelect(setSection(selected, ids, state !== 'all'))}
          />
          <label className="checkbox__label" htmlFor={`select-all-${section}`}>
            {t('bulk.selectAll')}
            <span className="visually-hidden"> {t('bulk.selectAllIn', { section: t(`dashboard.sections.${section}`) })}</span>
          </label>
        </div>
      ) : null}
      {items.length === 0 ? (
        <p className="body secondary-text">{t('dashboard.emptySection')}</p>
      ) : (
        <ul className="mandate-list">
          {items.map(({ mandate, me }) => (
            <MandateCard
              key={mandate.id}
              mandate={mandate}
              me={me}
              selection={
                selectable ? { checked: selected.has(mandate.id), toggle: () => onSelect(toggle(selected, mandate.id)) } : undefined
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function MandateCard({
  mandate,
  me,
  selection,
}: {
  mandate: Mandate;
  me: Role;
  selection?: { checked: boolean; toggle(): void } | undefined;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const other = mandate[otherRole(me)];
  const validity =
    mandate.validUntil === null
      ? t('validity.openEnded', { from: formatDay(mandate.validFrom, labels.language) })
      : t('validity.range', { from: formatDay(mandate.validFrom, labels.language), until: formatDay(mandate.validUntil, labels.language) });
  return (
    <li className={`mandate-card${selection?.checked ? ' mandate-card--selected' : ''}`}>
      {selection ? (
        <div className="checkbox mandate-card__select">
          <input
            className="checkbox__input"
            type="checkbox"
            id={`select-${mandate.id}`}
            checked={selection.checked}
            onChange={selection.toggle}
          />
          <label className="checkbox__label" htmlFor={`select-${mandate.id}`}>
            {t('bulk.select')}
            <span className="visually-hidden">
              {' '}
              {t('bulk.selectWhat', {
                type: labels.typeLabel(mandate.type),
                party: `${t(`party.${other.kind}`)} ${formatIdentifier(other.kind, other.id)}`,
              })}
            </span>
          </label>
        </div>
      ) : null}
      <div className="mandate-card__head">
        <h3 className="heading-s mandate-card__title">
          <Link to={`/mandates/${mandate.id}`}>{labels.typeLabel(mandate.type)}</Link>
        </h3>
        <StatusTag mandate={mandate} />
      </div>
      <dl className="mandate-card__facts">
        <div>
          <dt>{t('dashboard.yourRole')}</dt>
          <dd>{me === 'mandator' ? t('role.youGive') : t('role.youReceive')}</dd>
        </div>
        <div>
          <dt>{t('dashboard.counterparty')}</dt>
          <dd>
            {t(`party.${other.kind}`)} {formatIdentifier(other.kind, other.id)}
          </dd>
        </div>
        <div>
          <dt>{t('dashboard.validity')}</dt>
          <dd>{validity}</dd>
        </div>
        {mandate.reference ? (
          <div>
            <dt>{t('dashboard.reference')}</dt>
            <dd>{mandate.reference}</dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}
