// The create-mandate wizard's routes: start, each question, check your answers (and sign), confirmation.
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { useAppState, useLabels, useLanguage } from '../app-state.js';
import { BackLink, NotificationBanner, Panel, SummaryList } from '../components/display.js';
import { useFieldErrors } from '../components/errors.js';
import { Button, ErrorSummary, type FieldError, PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api } from '../lib/api.js';
import { errorMessageKey, REAUTHENTICATE_CODES } from '../lib/errors.js';
import { formatDay, formatInstant, parseDateParts, today } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import { reauthenticate, takeReauthFlag } from '../lib/session-storage.js';
import type { Mandate } from '../lib/types.js';
import { NotFoundPage } from '../pages/not-found.js';
import {
  type Draft,
  emptyDraft,
  firstIncompleteStep,
  isStep,
  locateApiField,
  otherParty,
  partyKey,
  roleOf,
  type Step,
  stepsFor,
  toCreateBody,
  untilOf,
  validateStep,
  type WizardContext,
} from './draft.js';
import { DetailsStep, DomainStep, PartyStep, RoleStep, type StepProps, TypeStep, ValidityStep } from './steps.js';
import { saveDraft, useDraft } from './store.js';

const stepPath = (step: Step) => `/mandates/new/${step}`;

/** Waits for the catalogue and gives the wizard its context. */
function WithContext({ children }: { children: (ctx: WizardContext) => ReactNode }) {
  const { t } = useTranslation();
  const { catalogue, catalogueError, acting } = useAppState();
  if (catalogueError) return <LoadFailed error={catalogueError} title={t('wizard.caption')} />;
  if (!catalogue || !acting) return <Loading />;
  return <>{children({ catalogue, acting, today: today() })}</>;
}

/** /mandates/new: a fresh draft for the party acted for, then the first question. */
export function NewMandatePage() {
  return (
    <RequireSession>
      <WithContext>{(ctx) => <StartDraft ctx={ctx} />}</WithContext>
    </RequireSession>
  );
}

function StartDraft({ ctx }: { ctx: WizardContext }) {
  const language = useLanguage();
  const [started, setStarted] = useState(false);
  useEffect(() => {
    saveDraft(emptyDraft(ctx.acting, ctx.today, language));
    setStarted(true);
  }, [ctx.acting, ctx.today, language]);
  return started ? <Navigate to={stepPath('domain')} replace /> : <Loading />;
}

export function WizardStepPage() {
  const { step } = useParams();
  return (
    <RequireSession>
      <WithContext>{(ctx) => (isStep(step) ? <WizardStep step={step} ctx={ctx} /> : <NotFoundPage />)}</WithContext>
    </RequireSession>
  );
}

function DraftLost() {
  const { t } = useTranslation();
  useDocumentTitle(t('wizard.caption'));
  return (
    <>
      <PageHeading>{t('wizard.caption')}</PageHeading>
      <p className="body">{t('wizard.draftLost')}</p>
      <Link to="/mandates/new" className="button button--primary">
        {t('wizard.startAgain')}
      </Link>
    </>
  );
}

const STEP_TITLES: Record<Step, string> = {
  domain: 'wizard.domain.title',
  type: 'wizard.type.title',
  role: 'wizard.role.title',
  party: 'wizard.party.titleGive',
  validity: 'wizard.validity.title',
  details: 'wizard.details.title',
  check: 'wizard.check.title',
};

function WizardStep({ step, ctx }: { step: Step; ctx: WizardContext }) {
  const [draft, update] = useDraft();
  if (!draft || draft.actingFor !== partyKey(ctx.acting)) return <DraftLost />;
  const missing = firstIncompleteStep(draft, ctx, step);
  if (missing) return <Navigate to={stepPath(missing)} replace />;
  const steps = stepsFor(draft, ctx);
  if (!steps.includes(step)) return <Navigate to={stepPath(steps[steps.indexOf('party')] ?? 'party')} replace />;
  if (step === 'check') return <CheckAnswers draft={draft} ctx={ctx} steps={steps} />;
  return <Question step={step} draft={draft} ctx={ctx} steps={steps} update={update} />;
}

function Question({
  step,
  draft,
  ctx,
  steps,
  update,
}: {
  step: Step;
  draft: Draft;
  ctx: WizardContext;
  steps: Step[];
  update: (c: Partial<Draft>) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const translate = useFieldErrors();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const index = steps.indexOf(step);
  const caption = `${t('wizard.caption')} – ${t('wizard.step', { n: index + 1, total: steps.length })}`;
  const titleKey = step === 'party' && roleOf(draft, ctx) === 'mandatee' ? 'wizard.party.titleReceive' : STEP_TITLES[step];
  useDocumentTitle(t(titleKey), errors.length > 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new question starts without errors
  useEffect(() => setErrors([]), [step]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validateStep(step, draft, ctx);
    if (problems.length > 0) {
      setErrors(translate(problems));
      return;
    }
    setErrors([]);
    const returnToCheck = params.get('return') === 'check' && !firstIncompleteStep(draft, ctx, 'check');
    navigate(stepPath(returnToCheck ? 'check' : (steps[index + 1] ?? 'check')));
  };

  const props: StepProps = { draft, ctx, update, errors, caption };
  const back = index === 0 ? '/mandates' : stepPath(steps[index - 1]!);
  return (
    <div className="grid-two-thirds">
      <BackLink to={back}>{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      <span className="caption">{caption}</span>
      <form onSubmit={submit} noValidate>
        {step === 'domain' ? <DomainStep {...props} /> : null}
        {step === 'type' ? <TypeStep {...props} /> : null}
        {step === 'role' ? <RoleStep {...props} /> : null}
        {step === 'party' ? <PartyStep {...props} /> : null}
        {step === 'validity' ? <ValidityStep {...props} /> : null}
        {step === 'details' ? <DetailsStep {...props} /> : null}
        <Button>{t('common.continue')}</Button>
      </form>
    </div>
  );
}

function CheckAnswers({ draft, ctx, steps }: { draft: Draft; ctx: WizardContext; steps: Step[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { announce } = useAppState();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [duplicateOf, setDuplicateOf] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [reauthenticated] = useState(() => takeReauthFlag(stepPath('check')));
  useDocumentTitle(t('wizard.check.title'), errors.length > 0);

  const role = roleOf(draft, ctx)!;
  const other = otherParty(draft, ctx)!;
  const from = parseDateParts(draft.from);
  const until = untilOf(draft, ctx);
  const otherPhrase = labels.partyPhrase(other);
  const change = (step: Step, what: string) => ({ to: `${stepPath(step)}?return=check`, what, id: `change-${step}` });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setDuplicateOf(undefined);
    announce(t('wizard.check.submitting'));
    try {
      const result = await api.createMandate(toCreateBody(draft, ctx));
      saveDraft(undefined);
      navigate(`/mandates/new/done/${result.mandate.id}`);
    } catch (error) {
      setBusy(false);
      const problem = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
      if (REAUTHENTICATE_CODES.includes(problem.code)) {
        announce(t('actions.reauthRedirecting'));
        reauthenticate(stepPath('check'));
        return;
      }
      const where = locateApiField(problem.field);
      if (problem.code === 'MANDATE_DUPLICATE' && typeof problem.details?.mandateId === 'string') setDuplicateOf(problem.details.mandateId);
      setErrors([
        { field: where && steps.includes(where.step) ? `change-${where.step}` : 'submit', message: t(errorMessageKey(problem.code)) },
      ]);
    }
  };

  return (
    <div className="grid-two-thirds">
      <BackLink to={stepPath('details')}>{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      {duplicateOf ? (
        <p className="body">
          <Link to={`/mandates/${duplicateOf}`}>{t('wizard.check.viewDuplicate')}</Link>
        </p>
      ) : null}
      {reauthenticated ? (
        <NotificationBanner>
          <p className="body">{t('actions.reauthNotice')}</p>
        </NotificationBanner>
      ) : null}
      <PageHeading caption={t('wizard.caption')}>{t('wizard.check.title')}</PageHeading>
      <SummaryList
        id="answers"
        rows={[
          {
            key: t('wizard.check.domain'),
            value: labels.domainLabel(draft.domain ?? ''),
            change: change('domain', t('wizard.check.domain')),
          },
          { key: t('wizard.check.type'), value: labels.typeLabel(draft.type ?? ''), change: change('type', t('wizard.check.type')) },
          {
            key: t('wizard.check.role'),
            value: role === 'mandator' ? t('role.youGive') : t('role.youReceive'),
            ...(steps.includes('role') ? { change: change('role', t('wizard.check.role')) } : {}),
          },
          {
            key: t('wizard.check.otherParty'),
            value: `${t(`party.${other.kind}`)} ${formatIdentifier(other.kind, other.id)}`,
            change: change('party', t('wizard.check.otherParty')),
          },
          {
            key: t('wizard.check.validFrom'),
            value: from.ok ? formatDay(from.value, labels.language) : '',
            change: change('validity', t('wizard.check.validFrom')),
          },
          {
            key: t('wizard.check.validUntil'),
            value: until ? formatDay(until, labels.language) : t('validity.unlimited'),
            change: { ...change('validity', t('wizard.check.validUntil')), id: 'change-validity-until' },
          },
          {
            key: t('wizard.check.reference'),
            value: draft.reference.trim() || t('common.none'),
            change: change('details', t('wizard.check.reference')),
          },
          {
            key: t('wizard.check.language'),
            value: t(`language.${draft.language ?? 'en'}`, { lng: draft.language ?? 'en' }),
            change: { ...change('details', t('wizard.check.language')), id: 'change-details-language' },
          },
        ]}
      />
      <h2 className="heading-m">{t('wizard.check.signHeading')}</h2>
      <p className="body">{t('wizard.check.declaration', { party: otherPhrase })}</p>
      <form onSubmit={submit} noValidate>
        <Button id="submit" disabled={busy}>
          {busy ? t('wizard.check.submitting') : t('wizard.check.submit')}
        </Button>
      </form>
    </div>
  );
}

/** /mandates/new/done/:id — the confirmation panel. */
export function WizardDonePage() {
  return (
    <RequireSession>
      <WizardDone />
    </RequireSession>
  );
}

function WizardDone() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const labels = useLabels();
  const { acting } = useAppState();
  const [mandate, setMandate] = useState<Mandate | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useDocumentTitle(t('wizard.done.title'));
  useEffect(() => {
    api.getMandate(id).then(
      (r) => setMandate(r.mandate),
      (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', String(e))),
    );
  }, [id]);
  if (error) return <LoadFailed error={error} title={t('wizard.done.title')} />;
  if (!mandate || !acting) return <Loading />;
  const other = mandate.mandator.kind === acting.kind && mandate.mandator.id === acting.id ? mandate.mandatee : mandate.mandator;
  return (
    <div className="grid-two-thirds">
      <Panel title={<PageHeading>{t('wizard.done.title')}</PageHeading>}>
        {t('wizard.done.reference')}
        <br />
        <strong className="panel__reference">{mandate.id}</strong>
      </Panel>
      <p className="body">
        {t('wizard.done.body', {
          party: labels.partyPhrase(other),
          date: mandate.proposalExpiresAt ? formatInstant(mandate.proposalExpiresAt, labels.language) : '',
        })}
      </p>
      <h2 className="heading-m">{t('wizard.done.whatNext')}</h2>
      <ul className="list list--bullet">
        <li>{t('wizard.done.next1')}</li>
        <li>{t('wizard.done.next2')}</li>
      </ul>
      <ul className="list">
        <li>
          <Link to={`/mandates/${mandate.id}`}>{t('wizard.done.view')}</Link>
        </li>
        <li>
          <Link to="/mandates/new">{t('wizard.done.another')}</Link>
        </li>
        <li>
          <Link to="/mandates">{t('nav.mandates')}</Link>
        </li>
      </ul>
    </div>
  );
}
