// The questions of the create-mandate wizard, one page each: the draft is the form's state.
import { useTranslation } from 'react-i18next';
import { useLabels } from '../app-state.js';
import { DateInput, errorFor, type FieldError, Radios, PageHeading as StepHeading, TextArea, TextInput } from '../components/forms.js';
import { formatDay, LANGUAGES, latestUntil, parseDateParts } from '../lib/format.js';
import { checkIdentifier, type PartyKind } from '../lib/identifiers.js';
import { type Draft, otherKindOf, otherKinds, roleOf, rolesFor, typesFor, type WizardContext } from './draft.js';

export interface StepProps {
  draft: Draft;
  ctx: WizardContext;
  update(change: Partial<Draft>): void;
  errors: FieldError[];
  caption: string;
}

export function DomainStep({ draft, ctx, update, errors }: StepProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Radios
      id="domain"
      name="domain"
      legend={t('wizard.domain.title')}
      legendIsHeading
      hint={t('wizard.domain.hint')}
      error={errorFor(errors, 'domain')}
      value={draft.domain}
      onChange={(domain) => update({ domain })}
      options={ctx.catalogue.domains.map((d) => ({ value: d.id, label: labels.domainLabel(d.id) }))}
    />
  );
}

export function TypeStep({ draft, ctx, update, errors }: StepProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const types = typesFor(ctx.catalogue, draft.domain ?? '', ctx.acting.kind);
  if (types.length === 0) return <p className="body">{t('wizard.type.none', { party: labels.partyPhrase(ctx.acting) })}</p>;
  return (
    <Radios
      id="type"
      name="type"
      legend={t('wizard.type.title')}
      legendIsHeading
      hint={t('wizard.type.hint')}
      error={errorFor(errors, 'type')}
      value={draft.type}
      onChange={(type) => update({ type })}
      options={types.map((type) => ({
        value: type.id,
        label: labels.typeLabel(type.id),
        hint: (
          <>
            {labels.typeDescription(type.id)}
            {type.maxDurationMonths ? ` ${t('wizard.type.limited', { count: type.maxDurationMonths })}` : ''}
          </>
        ),
      }))}
    />
  );
}

export function RoleStep({ draft, ctx, update, errors }: StepProps) {
  const { t } = useTranslation();
  const type = ctx.catalogue.types.find((x) => x.id === draft.type);
  const roles = type ? rolesFor(type, ctx.acting.kind) : [];
  const enterprise = ctx.acting.kind === 'enterprise';
  return (
    <Radios
      id="role"
      name="role"
      legend={t('wizard.role.title')}
      legendIsHeading
      error={errorFor(errors, 'role')}
      value={draft.role}
      onChange={(role) => update({ role: role === 'mandatee' ? 'mandatee' : 'mandator' })}
      options={roles.map((role) =>
        role === 'mandator'
          ? { value: role, label: enterprise ? t('wizard.role.giveEnterprise') : t('wizard.role.give'), hint: t('wizard.role.giveHint') }
          : {
              value: role,
              label: enterprise ? t('wizard.role.receiveEnterprise') : t('wizard.role.receive'),
              hint: t('wizard.role.receiveHint'),
            },
      )}
    />
  );
}

/** A party number with its check as the user types: how many digits so far, or what is wrong, or the formatted number. */
export function PartyIdInput({
  id,
  kind,
  value,
  onChange,
  error,
  label,
}: {
  id: string;
  kind: PartyKind;
  value: string;
  onChange(value: string): void;
  error: string | undefined;
  label?: string;
}) {
  const { t } = useTranslation();
  const check = checkIdentifier(kind, value);
  const status =
    check.state === 'incomplete' ? (
      t('wizard.party.typing', { digits: check.digits, expected: check.expected })
    ) : check.state === 'invalid' ? (
      <span className="input-status--invalid">{t(`errors.${check.problem}`)}</span>
    ) : check.state === 'valid' ? (
      <span className="input-status--valid">
        <span aria-hidden="true">✓ </span>
        {t('wizard.party.valid', { formatted: check.formatted })}
      </span>
    ) : (
      ''
    );
  return (
    <TextInput
      id={id}
      label={label ?? (kind === 'person' ? t('wizard.party.personLabel') : t('wizard.party.enterpriseLabel'))}
      hint={kind === 'person' ? t('wizard.party.personHint') : t('wizard.party.enterpriseHint')}
      error={error}
      value={value}
      onChange={onChange}
      inputMode="numeric"
      width="medium"
      status={error ? '' : status}
    />
  );
}

export function PartyStep({ draft, ctx, update, errors }: StepProps) {
  const { t } = useTranslation();
  const kinds = otherKinds(draft, ctx);
  const kind = otherKindOf(draft, ctx);
  const idInput = (k: PartyKind) => (
    <PartyIdInput
      id="other-id"
      kind={k}
      value={draft.otherId}
      onChange={(otherId) => update({ otherId })}
      error={errorFor(errors, 'other-id')}
    />
  );
  return (
    <>
      <PageHeadingFor draft={draft} ctx={ctx} />
      {kinds.length > 1 ? (
        <Radios
          id="other-kind"
          name="other-kind"
          legend={t('wizard.party.kindLegend')}
          error={errorFor(errors, 'other-kind')}
          value={kind}
          onChange={(value) => update({ otherKind: value === 'enterprise' ? 'enterprise' : 'person' })}
          options={kinds.map((k) => ({ value: k, label: t(`wizard.party.${k}`), conditional: idInput(k) }))}
        />
      ) : kind ? (
        idInput(kind)
      ) : null}
    </>
  );
}

function PageHeadingFor({ draft, ctx }: { draft: Draft; ctx: WizardContext }) {
  const { t } = useTranslation();
  return <StepHeading>{roleOf(draft, ctx) === 'mandatee' ? t('wizard.party.titleReceive') : t('wizard.party.titleGive')}</StepHeading>;
}

export function ValidityStep({ draft, ctx, update, errors }: StepProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const type = ctx.catalogue.types.find((x) => x.id === draft.type);
  const from = parseDateParts(draft.from);
  const maxHint =
    type?.maxDurationMonths && from.ok
      ? t('wizard.validity.maxHint', {
          count: type.maxDurationMonths,
          date: formatDay(latestUntil(from.value, type.maxDurationMonths), labels.language),
        })
      : undefined;
  const untilInput = (
    <DateInput
      id="valid-until"
      legend={t('wizard.validity.untilLegend')}
      hint={maxHint ?? t('wizard.validity.untilHint')}
      error={errorFor(errors, 'valid-until')}
      value={draft.until}
      onChange={(until) => update({ until })}
    />
  );
  return (
    <>
      <StepHeading>{t('wizard.validity.title')}</StepHeading>
      <DateInput
        id="valid-from"
        legend={t('wizard.validity.fromLegend')}
        hint={t('wizard.validity.fromHint')}
        error={errorFor(errors, 'valid-from')}
        value={draft.from}
        onChange={(value) => update({ from: value })}
      />
      {type && !type.unlimitedAllowed ? (
        untilInput
      ) : (
        <Radios
          id="duration"
          name="duration"
          legend={t('wizard.validity.durationLegend')}
          error={errorFor(errors, 'duration')}
          value={draft.duration}
          onChange={(value) => update({ duration: value === 'until' ? 'until' : 'unlimited' })}
          options={[
            { value: 'unlimited', label: t('wizard.validity.unlimited') },
            { value: 'until', label: t('wizard.validity.until'), conditional: untilInput },
          ]}
        />
      )}
    </>
  );
}

export function DetailsStep({ draft, update, errors }: StepProps) {
  const { t } = useTranslation();
  return (
    <>
      <StepHeading>{t('wizard.details.title')}</StepHeading>
      <TextArea
        id="reference"
        label={t('wizard.details.referenceLabel')}
        hint={t('wizard.details.referenceHint')}
        error={errorFor(errors, 'reference')}
        value={draft.reference}
        onChange={(reference) => update({ reference })}
      />
      <Radios
        id="language"
        name="language"
        legend={t('wizard.details.languageLegend')}
        error={errorFor(errors, 'language')}
        value={draft.language}
        onChange={(value) => update({ language: LANGUAGES.find((l) => l === value) ?? 'en' })}
        options={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`, { lng: l }), lang: l }))}
      />
    </>
  );
}
