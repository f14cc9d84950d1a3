// Sign, refuse, withdraw, stop, amend and transfer: each a question (when it has one), a check
// page where the person confirms, and a confirmation panel.
import { type FormEvent, type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useAppState, useLabels } from '../app-state.js';
import { BackLink, InsetText, NotificationBanner, Panel, SummaryList, type SummaryRow, WarningText } from '../components/display.js';
import { useFieldErrors } from '../components/errors.js';
import { Button, DateInput, ErrorSummary, errorFor, type FieldError, PageHeading, Radios, TextArea } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api, type MandateAction } from '../lib/api.js';
import { errorMessageKey, REAUTHENTICATE_CODES } from '../lib/errors.js';
import { formatDay, latestUntil, today } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import { amendmentEffect, availableActions, otherRole } from '../lib/mandates.js';
import { readJson, reauthenticate, takeReauthFlag, writeJson } from '../lib/session-storage.js';
import type { CommandResult, Mandate, Party, Role } from '../lib/types.js';
import { useMandate } from '../pages/mandate-detail.js';
import { NotFoundPage } from '../pages/not-found.js';
import { PartyIdInput } from '../wizard/steps.js';
import {
  type ActionDraft,
  type ActionName,
  actionFieldLink,
  emptyActionDraft,
  HAS_FORM,
  isAction,
  newMandateeKinds,
  newMandateeOf,
  newUntilOf,
  validateAction,
} from './action-draft.js';

type Stage = 'entry' | 'check' | 'done';

const draftKey = (id: string, action: ActionName) => `ssm.action.${id}.${action}`;
const resultKey = (id: string, action: ActionName) => `ssm.actionResult.${id}.${action}`;
const API_ACTION: Record<ActionName, MandateAction> = {
  sign: 'sign',
  refuse: 'refuse',
  withdraw: 'withdraw',
  stop: 'stop',
  amend: 'amendments',
  transfer: 'transfer',
};

interface StoredResult {
  result: CommandResult;
  /** Whether the action answered a pending amendment rather than a proposal. */
  onAmendment: boolean;
  /** For amend: whether it applied at once. */
  effect?: 'narrows' | 'widens';
}

export function ActionPage({ stage }: { stage: Stage }) {
  const { id = '', action } = useParams();
  if (!isAction(action)) return <NotFoundPage />;
  return (
    <RequireSession>
      <ActionFlow id={id} action={action} stage={stage === 'entry' && !HAS_FORM[action] ? 'check' : stage} />
    </RequireSession>
  );
}

function useActionDraft(id: string, action: ActionName): [ActionDraft, (change: Partial<ActionDraft>) => void] {
  const [draft, setDraft] = useState<ActionDraft>(() => readJson<ActionDraft>(draftKey(id, action)) ?? emptyActionDraft());
  const update = useCallback(
    (change: Partial<ActionDraft>) =>
      setDraft((current) => {
        const next = { ...current, ...change };
        writeJson(draftKey(id, action), next);
        return next;
      }),
    [id, action],
  );
  return [draft, update];
}

/** Titles depend on whether the action answers a proposal or a pending amendment. */
function titleKey(action: ActionName, onAmendment: boolean): string {
  switch (action) {
    case 'sign':
      return onAmendment ? 'actions.signPage.titleAmendment' : 'actions.signPage.title';
    case 'refuse':
      return onAmendment ? 'actions.refusePage.titleAmendment' : 'actions.refusePage.title';
    case 'withdraw':
      return onAmendment ? 'actions.withdrawPage.titleAmendment' : 'actions.withdrawPage.title';
    case 'stop':
      return 'actions.stopPage.title';
    case 'amend':
      return 'actions.amendPage.title';
    case 'transfer':
      return 'actions.transferPage.title';
  }
}

function ActionFlow({ id, action, stage }: { id: string; action: ActionName; stage: Stage }) {
  const { t } = useTranslation();
  const { data, error, reload, me } = useMandate(id);
  const [draft, update] = useActionDraft(id, action);
  if (stage === 'done') return <ActionDone id={id} action={action} mandate={data?.mandate} me={me} />;
  if (error) return <LoadFailed error={error} title={t('detail.caption')} />;
  if (!data) return <Loading />;
  const mandate = data.mandate;
  if (!me || !availableActions(mandate, me.role).includes(action)) return <NotPossible id={id} />;
  const props = { id, action, mandate, me, draft, update, reload };
  return stage === 'check' ? <ActionCheck {...props} /> : <ActionForm {...props} />;
}

interface FlowProps {
  id: string;
  action: ActionName;
  mandate: Mandate;
  me: { party: Party; role: Role };
  draft: ActionDraft;
  update(change: Partial<ActionDraft>): void;
  reload(): Promise<Mandate | undefined>;
}

function NotPossible({ id }: { id: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t('actions.notAllowed'));
  return (
    <>
      <BackLink to={`/mandates/${id}`}>{t('actions.backToMandate')}</BackLink>
      <PageHeading>{t('actions.notAllowed')}</PageHeading>
      <p className="body">
        <Link to={`/mandates/${id}`}>{t('actions.backToMandate')}</Link>
      </p>
    </>
  );
}

/** The mandate in brief, on top of each action page. */
function MandateBrief({ mandate }: { mandate: Mandate }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const party = (p: Party) => {
    const text = `${t(`party.${p.kind}`)} ${formatIdentifier(p.kind, p.id)}`;
    return labels.isMe(p) ? t('party.youMarker', { party: text }) : text;
  };
  return (
    <SummaryList
      rows={[
        { key: t('detail.type'), value: labels.typeLabel(mandate.type) },
        { key: t('detail.mandator'), value: party(mandate.mandator) },
        { key: t('detail.mandatee'), value: party(mandate.mandatee) },
        { key: t('detail.validFrom'), value: formatDay(mandate.validFrom, labels.language) },
        {
          key: t('detail.validUntil'),
          value: mandate.validUntil ? formatDay(mandate.validUntil, labels.language) : t('validity.unlimited'),
        },
      ]}
    />
  );
}

function ActionForm({ id, action, mandate, draft, update }: FlowProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const translate = useFieldErrors();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const type = labels.type(mandate.type);
  const onAmendment = mandate.status === 'signed';
  const title = action === 'transfer' ? t('actions.transferPage.partyTitle') : t(titleKey(action, onAmendment));
  useDocumentTitle(title, errors.length > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validateAction(action, draft, mandate, type, today());
    if (problems.length > 0) {
      setErrors(translate(problems));
      return;
    }
    navigate(`/mandates/${id}/${action}/check`);
  };

  let fields: ReactNode = null;
  if (action === 'refuse' || action === 'stop') {
    const page = action === 'refuse' ? 'refusePage' : 'stopPage';
    fields = (
      <>
        {action === 'stop' ? <WarningText>{t('actions.stopPage.warning')}</WarningText> : null}
        {action === 'refuse' ? (
          <p className="body">{t(onAmendment ? 'actions.refusePage.explainAmendment' : 'actions.refusePage.explain')}</p>
        ) : null}
        <TextArea
          id="reason"
          label={t(`actions.${page}.reasonLabel`)}
          hint={t(`actions.${page}.reasonHint`)}
          error={errorFor(errors, 'reason')}
          value={draft.reason}
          onChange={(reason) => update({ reason })}
        />
      </>
    );
  } else if (action === 'amend') {
    const latest = type?.maxDurationMonths ? latestUntil(mandate.validFrom, type.maxDurationMonths) : undefined;
    const untilInput = (
      <DateInput
        id="new-until"
        legend={t('actions.amendPage.newEnd')}
        hint={
          latest
            ? t('wizard.validity.maxHint', { count: type?.maxDurationMonths, date: formatDay(latest, labels.language) })
            : t('wizard.validity.untilHint')
        }
        error={errorFor(errors, 'new-until')}
        value={draft.until}
        onChange={(until) => update({ until })}
      />
    );
    fields = (
      <>
        <InsetText>
          {t('common.labelValue', {
            label: t('actions.amendPage.current'),
            value: mandate.validUntil ? formatDay(mandate.validUntil, labels.language) : t('validity.unlimited'),
          })}
        </InsetText>
        {type && !type.unlimitedAllowed ? (
          untilInput
        ) : (
          <Radios
            id="duration"
            name="duration"
            legend={t('actions.amendPage.durationLegend')}
            error={errorFor(errors, 'duration')}
            value={draft.duration}
            onChange={(value) => update({ duration: value === 'until' ? 'until' : 'unlimited' })}
            options={[
              { value: 'unlimited', label: t('wizard.validity.unlimited') },
              { value: 'until', label: t('wizard.validity.until'), conditional: untilInput },
            ]}
          />
        )}
        <AmendEffect mandate={mandate} draft={draft} live />
      </>
    );
  } else if (action === 'transfer') {
    const kinds = newMandateeKinds(type);
    const kind = kinds.length === 1 ? kinds[0] : draft.newKind && kinds.includes(draft.newKind) ? draft.newKind : undefined;
    const idInput = (k: 'person' | 'enterprise') => (
      <PartyIdInput id="new-id" kind={k} value={draft.newId} onChange={(newId) => update({ newId })} error={errorFor(errors, 'new-id')} />
    );
    fields = (
      <>
        <p className="body">{t('actions.transferPage.explain')}</p>
        {kinds.length > 1 ? (
          <Radios
            id="new-kind"
            name="new-kind"
            legend={t('wizard.party.kindLegend')}
            error={errorFor(errors, 'new-kind')}
            value={kind}
            onChange={(value) => update({ newKind: value === 'enterprise' ? 'enterprise' : 'person' })}
            options={kinds.map((k) => ({ value: k, label: t(`wizard.party.${k}`), conditional: idInput(k) }))}
          />
        ) : kind ? (
          idInput(kind)
        ) : null}
      </>
    );
  }

  return (
    <div className="grid-two-thirds">
      <BackLink to={`/mandates/${id}`}>{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      <PageHeading caption={labels.typeLabel(mandate.type)}>{title}</PageHeading>
      <form onSubmit={submit} noValidate>
        {fields}
        <Button>{t('common.continue')}</Button>
      </form>
    </div>
  );
}

/** Says whether a new end date applies at once or needs the other party. */
function AmendEffect({ mandate, draft, live }: { mandate: Mandate; draft: ActionDraft; live?: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const until = newUntilOf(draft, labels.type(mandate.type));
  const effect = until === undefined ? undefined : amendmentEffect(mandate.validUntil, until);
  const me = labels.isMe(mandate.mandator) ? 'mandator' : 'mandatee';
  const text =
    effect === 'narrows'
      ? t('actions.amendPage.narrows')
      : effect === 'widens'
        ? t('actions.amendPage.widens', { party: labels.partyPhrase(mandate[otherRole(me)]) })
        : effect === 'same'
          ? t('actions.amendPage.same')
          : '';
  return <InsetText live={live}>{text}</InsetText>;
}

function ActionCheck({ id, action, mandate, me, draft, reload }: FlowProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { announce } = useAppState();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const checkPath = HAS_FORM[action] ? `/mandates/${id}/${action}/check` : `/mandates/${id}/${action}`;
  const [reauthenticated] = useState(() => takeReauthFlag(checkPath));
  const type = labels.type(mandate.type);
  const onAmendment = mandate.status === 'signed' && (action === 'sign' || action === 'refuse' || action === 'withdraw');
  const title = HAS_FORM[action] ? t('actions.checkTitle') : t(titleKey(action, onAmendment));
  useDocumentTitle(title, errors.length > 0);
  const formProblems = validateAction(action, draft, mandate, type, today());
  if (HAS_FORM[action] && formProblems.length > 0 && errors.length === 0) return <Navigate to={`/mandates/${id}/${action}`} replace />;

  const newUntil = action === 'amend' ? newUntilOf(draft, type) : undefined;
  const newMandatee = action === 'transfer' ? newMandateeOf(draft, type) : undefined;
  const body = (): Record<string, unknown> => {
    const onBehalfOf = me.party.kind === 'enterprise' ? { onBehalfOf: me.party } : {};
    if (action === 'refuse' || action === 'stop') return { ...onBehalfOf, reason: draft.reason.trim() || null };
    if (action === 'amend') return { ...onBehalfOf, validUntil: newUntil ?? null };
    if (action === 'transfer') return { ...onBehalfOf, mandatee: newMandatee };
    return onBehalfOf;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setStale(false);
    announce(t('common.loading'));
    try {
      const result = await api.act(id, API_ACTION[action], mandate.version, body());
      const stored: StoredResult = {
        result,
        onAmendment,
        ...(action === 'amend' && newUntil !== undefined
          ? { effect: amendmentEffect(mandate.validUntil, newUntil) === 'narrows' ? 'narrows' : 'widens' }
          : {}),
      };
      writeJson(resultKey(id, action), stored);
      writeJson(draftKey(id, action), undefined);
      navigate(`/mandates/${id}/${action}/done`);
    } catch (failure) {
      setBusy(false);
      const problem = failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure));
      if (REAUTHENTICATE_CODES.includes(problem.code)) {
        announce(t('actions.reauthRedirecting'));
        reauthenticate(checkPath);
        return;
      }
      if (problem.code === 'MANDATE_VERSION_STALE' || problem.status === 412) {
        setStale(true);
        await reload();
      }
      setErrors([{ field: actionFieldLink(action, problem.field) ?? 'submit', message: t(errorMessageKey(problem.code)) }]);
    }
  };

  const rows: SummaryRow[] = [];
  const change = (what: string, linkId: string) => ({ to: `/mandates/${id}/${action}`, what, id: linkId });
  if (action === 'refuse' || action === 'stop') {
    const label = t(action === 'refuse' ? 'actions.refusePage.reason' : 'actions.stopPage.reason');
    rows.push({ key: label, value: draft.reason.trim() || t('common.none'), change: change(label, 'change-reason') });
  }
  if (action === 'amend') {
    rows.push({
      key: t('actions.amendPage.current'),
      value: mandate.validUntil ? formatDay(mandate.validUntil, labels.language) : t('validity.unlimited'),
    });
    rows.push({
      key: t('actions.amendPage.newEnd'),
      value: newUntil ? formatDay(newUntil, labels.language) : t('validity.unlimited'),
      change: change(t('actions.amendPage.newEnd'), 'change-new-until'),
    });
  }
  if (action === 'transfer' && newMandatee) {
    rows.push({
      key: t('actions.transferPage.newMandatee'),
      value: `${t(`party.${newMandatee.kind}`)} ${formatIdentifier(newMandatee.kind, newMandatee.id)}`,
      change: change(t('actions.transferPage.newMandatee'), 'change-new-mandatee'),
    });
  }

  const amendment = mandate.pendingAmendment;
  const submitLabel =
    action === 'sign'
      ? t('actions.signPage.submit')
      : action === 'refuse'
        ? t('actions.refusePage.submit')
        : action === 'withdraw'
          ? t('actions.withdrawPage.submit')
          : action === 'stop'
            ? t('actions.stopPage.submit')
            : action === 'amend'
              ? t('actions.amendPage.submit')
              : me.role === 'mandator'
                ? t('actions.transferPage.submitSign')
                : t('actions.transferPage.submit');

  return (
    <div className="grid-two-thirds">
      <BackLink to={HAS_FORM[action] ? `/mandates/${id}/${action}` : `/mandates/${id}`}>{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      {reauthenticated ? (
        <NotificationBanner>
          <p className="body">{t('actions.reauthNotice')}</p>
        </NotificationBanner>
      ) : null}
      {stale ? (
        <NotificationBanner>
          <p className="body">{t('actions.stale')}</p>
        </NotificationBanner>
      ) : null}
      <PageHeading caption={labels.typeLabel(mandate.type)}>{title}</PageHeading>
      {HAS_FORM[action] ? <h2 className="heading-m">{t(titleKey(action, onAmendment))}</h2> : null}
      <MandateBrief mandate={mandate} />
      {rows.length > 0 ? <SummaryList rows={rows} id="answers" /> : null}
      {action === 'sign' ? (
        <p className="body">
          {onAmendment && amendment
            ? t('actions.signPage.declarationAmendment', {
                until: amendment.validUntil ? formatDay(amendment.validUntil, labels.language) : t('validity.unlimited'),
              })
            : t('actions.signPage.declaration', { role: t(`role.${me.role}Lower`), party: labels.partyPhrase(me.party) })}
        </p>
      ) : null}
      {action === 'refuse' ? (
        <p className="body">{t(onAmendment ? 'actions.refusePage.explainAmendment' : 'actions.refusePage.explain')}</p>
      ) : null}
      {action === 'withdraw' ? <p className="body">{t('actions.withdrawPage.explain')}</p> : null}
      {action === 'stop' ? <WarningText>{t('actions.stopPage.warning')}</WarningText> : null}
      {action === 'amend' ? <AmendEffect mandate={mandate} draft={draft} /> : null}
      {action === 'transfer' ? <p className="body">{t('actions.transferPage.explain')}</p> : null}
      <form onSubmit={submit} noValidate>
        <Button id="submit" variant={action === 'stop' || action === 'refuse' ? 'warning' : 'primary'} disabled={busy}>
          {submitLabel}
        </Button>
      </form>
      <p className="body">
        <Link to={`/mandates/${id}`}>{t('common.cancel')}</Link>
      </p>
    </div>
  );
}

function ActionDone({
  id,
  action,
  mandate,
  me,
}: {
  id: string;
  action: ActionName;
  mandate: Mandate | undefined;
  me: { party: Party; role: Role } | undefined;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [stored] = useState(() => readJson<StoredResult>(resultKey(id, action)));
  const current = stored?.result.mandate ?? mandate;
  const onAmendment = stored?.onAmendment ?? false;
  const page = {
    sign: 'signPage',
    refuse: 'refusePage',
    withdraw: 'withdrawPage',
    stop: 'stopPage',
    amend: 'amendPage',
    transfer: 'transferPage',
  }[action];
  const doneTitle =
    action === 'amend'
      ? stored?.effect === 'widens'
        ? t('actions.amendPage.doneWiden')
        : t('actions.amendPage.doneNarrow')
      : t(`actions.${page}.${onAmendment && action !== 'stop' && action !== 'transfer' ? 'doneTitleAmendment' : 'doneTitle'}`);
  useDocumentTitle(doneTitle);
  if (!current || !me) return <Loading />;
  const other = current[otherRole(me.role)];
  const successor = stored?.result.related.find((m) => m.predecessorId === id);

  let body: ReactNode = null;
  if (action === 'sign') {
    body = onAmendment
      ? null
      : current.state === 'active'
        ? t('actions.signPage.doneActive')
        : current.state === 'scheduled'
          ? t('actions.signPage.doneScheduled', { from: formatDay(current.validFrom, labels.language) })
          : t('actions.signPage.doneWaiting', { party: labels.partyPhrase(other) });
  } else if (action === 'refuse') body = t('actions.refusePage.doneBody');
  else if (action === 'withdraw') body = t('actions.withdrawPage.doneBody');
  else if (action === 'stop') body = t('actions.stopPage.doneBody', { party: labels.partyPhrase(current.mandatee) });
  else if (action === 'amend') {
    body =
      stored?.effect === 'widens'
        ? t('actions.amendPage.doneWidenBody', { party: labels.partyPhrase(other) })
        : t('actions.amendPage.doneNarrowBody', {
            until: current.validUntil ? formatDay(current.validUntil, labels.language) : t('validity.unlimited'),
          });
  } else if (action === 'transfer' && successor) {
    body = t('actions.transferPage.doneBody', {
      parties: successor.waitingFor.map((role) => labels.partyWithYou(successor[role])).join(', '),
    });
  }
  const completedTransfer = action === 'sign' && stored?.result.related.some((m) => m.status === 'transferred');

  return (
    <div className="grid-two-thirds">
      <Panel title={<PageHeading>{doneTitle}</PageHeading>}>{body}</Panel>
      {completedTransfer ? <p className="body">{t('actions.signPage.doneTransfer')}</p> : null}
      <ul className="list">
        {successor ? (
          <li>
            <Link to={`/mandates/${successor.id}`}>{t('actions.transferPage.viewSuccessor')}</Link>
          </li>
        ) : null}
        <li>
          <Link to={`/mandates/${id}`}>{t('wizard.done.view')}</Link>
        </li>
        <li>
          <Link to="/mandates">{t('nav.mandates')}</Link>
        </li>
      </ul>
    </div>
  );
}
