// "Why can't I act?": the person names a mandator and a type; the service answers whether they (or
// the enterprise they act for) may act, and if not, precisely why and what to do next.
import { type FormEvent, type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAppState, useLabels, useLanguage } from '../app-state.js';
import { NotificationBanner } from '../components/display.js';
import { useFieldErrors } from '../components/errors.js';
import { Button, ErrorSummary, errorFor, type FieldError, PageHeading, Radios, Select } from '../components/forms.js';
import { RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api } from '../lib/api.js';
import { errorMessageKey } from '../lib/errors.js';
import { formatDay, formatInstant, today } from '../lib/format.js';
import { formatIdentifier, type PartyKind } from '../lib/identifiers.js';
import type { Party, WhyAnswer } from '../lib/types.js';
import { isKnownExplanation, type NextStep, readWhyForm, type WhyView, whyView } from '../lib/why.js';
import { emptyDraft } from '../wizard/draft.js';
import { PartyIdInput } from '../wizard/steps.js';
import { saveDraft } from '../wizard/store.js';

export function WhyPage() {
  return (
    <RequireSession>
      <Why />
    </RequireSession>
  );
}

const asKind = (value: string | null): PartyKind | undefined => (value === 'person' || value === 'enterprise' ? value : undefined);

function Why() {
  const { t } = useTranslation();
  const labels = useLabels();
  const translate = useFieldErrors();
  const { acting, actingEnterprise, catalogue, announce } = useAppState();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState(() => ({
    kind: asKind(params.get('kind')),
    id: params.get('mandator') ?? '',
    type: params.get('type') ?? '',
  }));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [result, setResult] = useState<{ answer: WhyAnswer; mandator: Party; type: string; asker: Party } | null>(null);
  const [busy, setBusy] = useState(false);
  const answerRef = useRef<HTMLHeadingElement>(null);
  const focusAnswer = useRef(false);
  useDocumentTitle(t('why.title'), errors.length > 0);

  // The question in the address is asked on arrival, and again when the party acted for changes.
  const asked = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is the question; acting changes the asker
  useEffect(() => {
    if (!acting) return;
    const kind = asKind(params.get('kind'));
    const question = readWhyForm({ kind, id: params.get('mandator') ?? '', type: params.get('type') ?? '' }, acting);
    if (!question.ok) {
      setResult(null);
      return;
    }
    let current = true;
    setBusy(true);
    api
      .why({ mandator: question.mandator, type: question.type, ...(actingEnterprise ? { onBehalfOf: acting } : {}) })
      .then(
        (answer) => {
          if (!current) return;
          setErrors([]);
          setResult({ answer, mandator: question.mandator, type: question.type, asker: acting });
          announce(t('why.answered'));
        },
        (failure: unknown) => {
          if (!current) return;
          const problem = failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure));
          setResult(null);
          const field = problem.field?.startsWith('mandator') ? 'mandator-id' : problem.field === 'type' ? 'type' : 'why-submit';
          setErrors([{ field, message: t(errorMessageKey(problem.code)) }]);
        },
      )
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [asked, acting?.kind, acting?.id]);

  useEffect(() => {
    if (result && focusAnswer.current) {
      focusAnswer.current = false;
      answerRef.current?.focus();
    }
  }, [result]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!acting) return;
    const question = readWhyForm(form, acting);
    if (!question.ok) {
      setResult(null);
      setErrors(translate(question.errors));
      return;
    }
    setErrors([]);
    focusAnswer.current = true;
    const next = new URLSearchParams({ kind: question.mandator.kind, mandator: question.mandator.id, type: question.type });
    if (next.toString() === asked) {
      // The same question again: ask once more (something may have changed meanwhile).
      setParams(new URLSearchParams());
      window.setTimeout(() => setParams(next), 0);
    } else setParams(next);
  };

  const groups = useMemo(() => {
    if (!catalogue || !acting) return [];
    return catalogue.domains
      .map((d) => ({
        label: labels.domainLabel(d.id),
        options: catalogue.types
          .filter((type) => type.domain === d.id && type.mandateeKinds.includes(acting.kind))
          .map((type) => ({ value: type.id, label: labels.typeLabel(type.id) })),
      }))
      .filter((g) => g.options.length > 0);
  }, [catalogue, acting, labels]);

  const idInput = (kind: PartyKind) => (
    <PartyIdInput
      id="mandator-id"
      kind={kind}
      value={form.id}
      onChange={(id) => setForm({ ...form, id })}
      error={errorFor(errors, 'mandator-id')}
    />
  );

  return (
    <div className="grid-two-thirds">
      <ErrorSummary errors={errors} />
      <PageHeading>{t('why.title')}</PageHeading>
      <p className="body-l">{t('why.lead')}</p>
      {actingEnterprise ? (
        <p className="body">
          {t('why.askingAs', { party: t('party.enterpriseWithId', { id: formatIdentifier('enterprise', actingEnterprise) }) })}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Radios
          id="mandator-kind"
          name="mandator-kind"
          legend={t('why.form.kindLegend')}
          hint={t('why.form.kindHint')}
          error={errorFor(errors, 'mandator-kind')}
          value={form.kind}
          onChange={(value) => setForm({ ...form, kind: asKind(value) })}
          options={(['person', 'enterprise'] as const).map((k) => ({ value: k, label: t(`wizard.party.${k}`), conditional: idInput(k) }))}
        />
        <Select
          id="type"
          label={t('why.form.typeLabel')}
          hint={t('why.form.typeHint')}
          error={errorFor(errors, 'type')}
          value={form.type}
          onChange={(type) => setForm({ ...form, type })}
          placeholder={t('why.form.typePlaceholder')}
          groups={groups}
        />
        <Button id="why-submit" disabled={busy}>
          {t('why.form.submit')}
        </Button>
      </form>
      {result ? <Answer result={result} headingRef={answerRef} /> : null}
    </div>
  );
}

function Answer({
  result,
  headingRef,
}: {
  result: { answer: WhyAnswer; mandator: Party; type: string; asker: Party };
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { explanation } = result.answer;
  const question = { mandator: result.mandator, type: result.type, asker: result.asker };
  const view: WhyView = isKnownExplanation(explanation)
    ? whyView(explanation, question)
    : { allowed: result.answer.allowed, answer: result.answer.allowed ? 'ACTIVE' : 'NO_MANDATE', next: [] };
  const by = view.by === undefined ? '' : view.by === 'system' ? t('why.bySystem') : labels.partyWithYou(view.by);
  const sentence = t(`why.answers.${view.answer}`, {
    mandator: labels.partyPhrase(result.mandator),
    type: labels.typeLabel(result.type),
    date: view.date ? formatDay(view.date, labels.language) : '',
    by,
    holder: view.holder ? labels.partyPhrase(view.holder) : '',
    types: (view.types ?? []).map((id) => t('why.quoted', { text: labels.typeLabel(id) })).join(', '),
  });
  return (
    <section aria-labelledby="why-answer-heading" className="section" data-answer={view.answer}>
      <h2 className="heading-l" id="why-answer-heading" ref={headingRef} tabIndex={-1}>
        {t('why.answerHeading')}
      </h2>
      <NotificationBanner kind={view.allowed ? 'success' : 'info'}>
        <p className="body-l" data-testid="why-answer">
          <strong>{sentence}</strong>
        </p>
        {view.reason ? <p className="body">{t('common.labelValue', { label: t('detail.endReason'), value: view.reason })}</p> : null}
      </NotificationBanner>
      {view.next.length > 0 ? (
        <>
          <h3 className="heading-m">{t('why.nextHeading')}</h3>
          <ul className="list" data-testid="why-next">
            {view.next.map((step) => (
              <li key={step.kind}>
                <Step step={step} mandator={result.mandator} type={result.type} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {view.mandateId && !view.next.some((s) => s.kind === 'view') ? (
        <p className="body">
          <Link to={`/mandates/${view.mandateId}`}>{t('why.viewMandate')}</Link>
        </p>
      ) : null}
    </section>
  );
}

function Step({ step, mandator, type }: { step: NextStep; mandator: Party; type: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const language = useLanguage();
  const navigate = useNavigate();
  const { acting, catalogue, setActingEnterprise, announce } = useAppState();
  const who = labels.partyPhrase(mandator);
  switch (step.kind) {
    case 'view':
      return <Link to={`/mandates/${step.mandateId}`}>{t('why.next.view')}</Link>;
    case 'sign':
      return (
        <>
          <p className="body">{t('why.next.sign')}</p>
          <Link to={`/mandates/${step.mandateId}/sign`} className="button button--primary">
            {t('actions.sign')}
          </Link>
        </>
      );
    case 'askSign':
      return (
        <p className="body">
          {t('why.next.askSign', { party: labels.partyPhrase(step.party) })}
          {step.lapsesAt ? ` ${t('why.next.lapses', { at: formatInstant(step.lapsesAt, language) })}` : ''}
        </p>
      );
    case 'wait':
      return <p className="body">{t('why.next.wait', { mandator: who, date: formatDay(step.from, language) })}</p>;
    case 'renew':
      return (
        <>
          <p className="body">{t('why.next.renew', { mandator: who })}</p>
          <Link to={`/mandates/${step.mandateId}/renew`} className="button button--primary">
            {t('renew.start')}
          </Link>
        </>
      );
    case 'propose': {
      const mandateType = catalogue?.types.find((x) => x.id === type);
      const canPropose = Boolean(
        acting && mandateType?.mandateeKinds.includes(acting.kind) && mandateType.mandatorKinds.includes(mandator.kind),
      );
      const start = () => {
        if (!acting || !mandateType) return;
        saveDraft({
          ...emptyDraft(acting, today(), language),
          domain: mandateType.domain,
          type: mandateType.id,
          role: 'mandatee',
          otherKind: mandator.kind,
          otherId: formatIdentifier(mandator.kind, mandator.id),
        });
        navigate('/mandates/new/validity');
      };
      return (
        <>
          <p className="body">{t('why.next.propose', { mandator: who, type: labels.typeLabel(type) })}</p>
          {canPropose ? (
            <Button type="button" variant="secondary" onClick={start}>
              {t('why.next.proposeButton')}
            </Button>
          ) : null}
        </>
      );
    }
    case 'switch': {
      const enterprise = t('party.enterpriseWithId', { id: formatIdentifier('enterprise', step.enterprise) });
      return (
        <>
          <p className="body">{t('why.next.switch', { party: enterprise, mandator: who })}</p>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setActingEnterprise(step.enterprise);
              announce(t('acting.changed', { party: t('acting.enterprise', { id: formatIdentifier('enterprise', step.enterprise) }) }));
            }}
          >
            {t('why.next.switchButton', { id: formatIdentifier('enterprise', step.enterprise) })}
          </Button>
        </>
      );
    }
  }
}
