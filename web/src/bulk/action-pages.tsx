// Acting on the mandates selected on the dashboard: a question when the action has one (a reason to
// stop, the new mandatee of a transfer), a check page listing every mandate, then the job page.
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useAppState, useLabels, useLanguage } from '../app-state.js';
import { BackLink, NotificationBanner, SummaryList, type SummaryRow, WarningText } from '../components/display.js';
import { useFieldErrors } from '../components/errors.js';
import { Button, ErrorSummary, errorFor, type FieldError, PageHeading, Radios, TextArea } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api, jobOf } from '../lib/api.js';
import {
  allowsBulk,
  answersKey,
  BULK_HAS_FORM,
  type BulkAction,
  type BulkDraft,
  bulkRequest,
  emptyBulkDraft,
  isBulkAction,
  newIdempotencyKey,
  newMandateeOf,
  SELECTION_KEY,
  type StoredSelection,
  validateBulk,
} from '../lib/bulk.js';
import { errorMessageKey } from '../lib/errors.js';
import { formatDay } from '../lib/format.js';
import { formatIdentifier, type PartyKind } from '../lib/identifiers.js';
import { otherRole, roleOf } from '../lib/mandates.js';
import { readJson, reauthenticate, takeReauthFlag, writeJson } from '../lib/session-storage.js';
import type { Mandate, Role } from '../lib/types.js';
import { NotFoundPage } from '../pages/not-found.js';
import { partyKey } from '../wizard/draft.js';
import { PartyIdInput } from '../wizard/steps.js';

type Stage = 'entry' | 'check';

export function BulkActionPage({ stage }: { stage: Stage }) {
  const { action } = useParams();
  if (!isBulkAction(action)) return <NotFoundPage />;
  return (
    <RequireSession>
      <BulkFlow action={action} stage={stage === 'entry' && !BULK_HAS_FORM[action] ? 'check' : stage} />
    </RequireSession>
  );
}

/** The selected mandates, as they are now, that this action can still be taken on. */
function useSelection(action: BulkAction) {
  const { acting, actingEnterprise } = useAppState();
  const [stored] = useState(() => readJson<StoredSelection>(SELECTION_KEY));
  const [state, setState] = useState<{ items: { mandate: Mandate; me: Role }[] } | { error: ApiError } | null>(null);
  useEffect(() => {
    if (!acting || !stored || stored.actingFor !== partyKey(acting)) return;
    let current = true;
    const wanted = new Set(stored.ids);
    api.listMandates(actingEnterprise).then(
      (list) => {
        if (!current) return;
        const items = list.items
          .filter((m) => wanted.has(m.id))
          .map((m) => ({ mandate: m, me: roleOf(m, acting) }))
          .filter((x): x is { mandate: Mandate; me: Role } => x.me !== undefined && allowsBulk(x.mandate, x.me, action));
        setState({ items });
      },
      (failure: unknown) =>
        current && setState({ error: failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure)) }),
    );
    return () => {
      current = false;
    };
  }, [acting, actingEnterprise, stored, action]);
  const lost = !acting || !stored || stored.actingFor !== partyKey(acting);
  return { lost, state };
}

function BulkFlow({ action, stage }: { action: BulkAction; stage: Stage }) {
  const { t } = useTranslation();
  const { lost, state } = useSelection(action);
  const [draft, setDraft] = useState<BulkDraft>(() => readJson<BulkDraft>(answersKey(action)) ?? emptyBulkDraft());
  const update = (change: Partial<BulkDraft>) =>
    setDraft((current) => {
      const next = { ...current, ...change };
      writeJson(answersKey(action), next);
      return next;
    });
  if (lost) return <NothingSelected />;
  if (!state) return <Loading />;
  if ('error' in state) return <LoadFailed error={state.error} title={t('bulk.caption')} />;
  if (state.items.length === 0) return <NothingSelected />;
  return stage === 'entry' ? (
    <BulkForm action={action} draft={draft} update={update} count={state.items.length} />
  ) : (
    <BulkCheck action={action} draft={draft} items={state.items} />
  );
}

function NothingSelected() {
  const { t } = useTranslation();
  useDocumentTitle(t('bulk.nothingTitle'));
  return (
    <div className="grid-two-thirds">
      <PageHeading>{t('bulk.nothingTitle')}</PageHeading>
      <p className="body">{t('bulk.nothingBody')}</p>
      <Link to="/mandates" className="button button--primary">
        {t('detail.back')}
      </Link>
    </div>
  );
}

function BulkForm({
  action,
  draft,
  update,
  count,
}: {
  action: BulkAction;
  draft: BulkDraft;
  update(change: Partial<BulkDraft>): void;
  count: number;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const translate = useFieldErrors();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const title = action === 'transfer' ? t('bulk.transferQuestion') : t('bulk.stopQuestion');
  useDocumentTitle(title, errors.length > 0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validateBulk(action, draft);
    if (problems.length > 0) {
      setErrors(translate(problems));
      return;
    }
    navigate(`/bulk/${action}/check`);
  };
  const idInput = (kind: PartyKind) => (
    <PartyIdInput id="new-id" kind={kind} value={draft.newId} onChange={(newId) => update({ newId })} error={errorFor(errors, 'new-id')} />
  );
  return (
    <div className="grid-two-thirds">
      <BackLink to="/mandates">{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      <PageHeading caption={t(`bulk.titles.${action}`, { count })}>{title}</PageHeading>
      <form onSubmit={submit} noValidate>
        {action === 'stop' ? (
          <>
            <WarningText>{t('bulk.stopWarning')}</WarningText>
            <TextArea
              id="reason"
              label={t('actions.stopPage.reasonLabel')}
              hint={t('bulk.reasonHint')}
              error={errorFor(errors, 'reason')}
              value={draft.reason}
              onChange={(reason) => update({ reason })}
            />
          </>
        ) : (
          <>
            <p className="body">{t('bulk.transferExplain')}</p>
            <Radios
              id="new-kind"
              name="new-kind"
              legend={t('wizard.party.kindLegend')}
              error={errorFor(errors, 'new-kind')}
              value={draft.newKind}
              onChange={(value) => update({ newKind: value === 'person' ? 'person' : 'enterprise' })}
              options={(['enterprise', 'person'] as const).map((k) => ({
                value: k,
                label: t(`wizard.party.${k}`),
                conditional: idInput(k),
              }))}
            />
          </>
        )}
        <Button>{t('common.continue')}</Button>
      </form>
    </div>
  );
}

function BulkCheck({ action, draft, items }: { action: BulkAction; draft: BulkDraft; items: { mandate: Mandate; me: Role }[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const language = useLanguage();
  const navigate = useNavigate();
  const { session, acting, actingEnterprise, announce } = useAppState();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  const checkPath = BULK_HAS_FORM[action] ? `/bulk/${action}/check` : `/bulk/${action}`;
  const [reauthenticated] = useState(() => takeReauthFlag(checkPath));
  const title = t('actions.checkTitle');
  useDocumentTitle(title, errors.length > 0);
  if (BULK_HAS_FORM[action] && validateBulk(action, draft).length > 0) return <Navigate to={`/bulk/${action}`} replace />;
  const newMandatee = action === 'transfer' ? newMandateeOf(draft) : undefined;
  const count = items.length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !acting) return;
    // Signing needs a recent sign-in (a mandator signs the successor of a transfer too): get one
    // first rather than have every item refused.
    const signs = action === 'sign' || (action === 'transfer' && items.some((x) => x.me === 'mandator'));
    if (signs && session && Date.parse(session.signFreshUntil) <= Date.now()) {
      announce(t('actions.reauthRedirecting'));
      reauthenticate(checkPath);
      return;
    }
    setBusy(true);
    announce(t('common.loading'));
    try {
      const body = bulkRequest(
        action,
        items.map((x) => x.mandate),
        { reason: draft.reason, ...(newMandatee ? { newMandatee } : {}) },
        actingEnterprise ? acting : undefined,
      );
      const answer = await api.submitBatch(body, language, key);
      writeJson(SELECTION_KEY, undefined);
      writeJson(answersKey(action), undefined);
      navigate(`/jobs/${jobOf(answer).id}`);
    } catch (failure) {
      setBusy(false);
      const problem = failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure));
      setErrors([{ field: 'bulk-submit', message: t(errorMessageKey(problem.code)) }]);
    }
  };

  const answers: SummaryRow[] = [];
  if (action === 'stop') {
    answers.push({
      key: t('actions.stopPage.reason'),
      value: draft.reason.trim() || t('common.none'),
      change: { to: `/bulk/${action}`, what: t('actions.stopPage.reason'), id: 'change-reason' },
    });
  }
  if (action === 'transfer' && newMandatee) {
    answers.push({
      key: t('actions.transferPage.newMandatee'),
      value: `${t(`party.${newMandatee.kind}`)} ${formatIdentifier(newMandatee.kind, newMandatee.id)}`,
      change: { to: `/bulk/${action}`, what: t('actions.transferPage.newMandatee'), id: 'change-new-mandatee' },
    });
  }

  return (
    <div>
      <BackLink to={BULK_HAS_FORM[action] ? `/bulk/${action}` : '/mandates'}>{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      {reauthenticated ? (
        <NotificationBanner>
          <p className="body">{t('actions.reauthNotice')}</p>
        </NotificationBanner>
      ) : null}
      <PageHeading caption={t('bulk.caption')}>{title}</PageHeading>
      <h2 className="heading-m">{t(`bulk.titles.${action}`, { count })}</h2>
      <table className="table table--responsive" data-testid="bulk-selection">
        <caption className="table__caption">{t('bulk.selectionCaption', { count })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('detail.type')}</th>
            <th scope="col">{t('dashboard.counterparty')}</th>
            <th scope="col">{t('dashboard.validity')}</th>
            <th scope="col">{t('dashboard.reference')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map(({ mandate, me }) => {
            const other = mandate[otherRole(me)];
            return (
              <tr key={mandate.id}>
                <th scope="row" data-label={t('detail.type')}>
                  <Link to={`/mandates/${mandate.id}`}>{labels.typeLabel(mandate.type)}</Link>
                </th>
                <td data-label={t('dashboard.counterparty')}>
                  {t(`party.${other.kind}`)} {formatIdentifier(other.kind, other.id)}
                </td>
                <td data-label={t('dashboard.validity')}>
                  {mandate.validUntil === null
                    ? t('validity.openEnded', { from: formatDay(mandate.validFrom, language) })
                    : t('validity.range', { from: formatDay(mandate.validFrom, language), until: formatDay(mandate.validUntil, language) })}
                </td>
                <td data-label={t('dashboard.reference')}>{mandate.reference ?? t('common.none')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="grid-two-thirds">
        {answers.length > 0 ? <SummaryList rows={answers} id="answers" /> : null}
        {action === 'sign' ? (
          <p className="body">{t('bulk.signDeclaration', { count, party: acting ? labels.partyPhrase(acting) : '' })}</p>
        ) : null}
        {action === 'stop' ? <WarningText>{t('bulk.stopWarning')}</WarningText> : null}
        {action === 'transfer' ? <p className="body">{t('bulk.transferExplain')}</p> : null}
        <p className="body">{t('bulk.eachOnItsOwn')}</p>
        <form onSubmit={submit} noValidate>
          <Button id="bulk-submit" variant={action === 'stop' ? 'warning' : 'primary'} disabled={busy}>
            {t(`bulk.submit.${action}`, { count })}
          </Button>
        </form>
        <p className="body">
          <Link to="/mandates">{t('common.cancel')}</Link>
        </p>
      </div>
    </div>
  );
}
