// Renew on the same terms: a check page showing the new validity (the person signs the new proposal
// there), then a confirmation. The other party signs the renewal like any proposal.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useAppState, useLabels } from '../app-state.js';
import { BackLink, NotificationBanner, Panel, SummaryList } from '../components/display.js';
import { Button, ErrorSummary, type FieldError, PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api } from '../lib/api.js';
import { errorMessageKey, REAUTHENTICATE_CODES } from '../lib/errors.js';
import { formatDay, today } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import { otherRole } from '../lib/mandates.js';
import { renewalOffer, renewedValidity } from '../lib/renewal.js';
import { readJson, reauthenticate, takeReauthFlag, writeJson } from '../lib/session-storage.js';
import type { CommandResult, Mandate, Party } from '../lib/types.js';
import { useMandate } from './mandate-detail.js';

const resultKey = (id: string) => `ssm.renewResult.${id}`;

export function RenewPage({ stage }: { stage: 'check' | 'done' }) {
  const { id = '' } = useParams();
  return <RequireSession>{stage === 'check' ? <RenewCheck id={id} /> : <RenewDone id={id} />}</RequireSession>;
}

function RenewCheck({ id }: { id: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { announce } = useAppState();
  const { data, error, reload, me } = useMandate(id);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [duplicateOf, setDuplicateOf] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = `/mandates/${id}/renew`;
  const [reauthenticated] = useState(() => takeReauthFlag(path));
  const title = t('renew.title');
  useDocumentTitle(title, errors.length > 0);
  if (error) return <LoadFailed error={error} title={t('detail.caption')} />;
  if (!data) return <Loading />;
  const mandate = data.mandate;
  const offer = renewalOffer(mandate, today());
  if (!me || !offer || mandate.validUntil === null) {
    return (
      <>
        <BackLink to={`/mandates/${id}`}>{t('actions.backToMandate')}</BackLink>
        <PageHeading>{t('renew.notPossible')}</PageHeading>
        <p className="body">{t('renew.notPossibleBody')}</p>
      </>
    );
  }
  const next = renewedValidity(mandate.validFrom, mandate.validUntil, today());
  const other = mandate[otherRole(me.role)];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setStale(false);
    setDuplicateOf(null);
    announce(t('common.loading'));
    try {
      const result = await api.renew(id, mandate.version, me.party.kind === 'enterprise' ? me.party : undefined);
      writeJson(resultKey(id), result);
      navigate(`/mandates/${id}/renew/done`);
    } catch (failure) {
      setBusy(false);
      const problem = failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure));
      if (REAUTHENTICATE_CODES.includes(problem.code)) {
        announce(t('actions.reauthRedirecting'));
        reauthenticate(path);
        return;
      }
      if (problem.code === 'MANDATE_VERSION_STALE' || problem.status === 412) {
        setStale(true);
        await reload();
      }
      if (problem.code === 'MANDATE_DUPLICATE' && typeof problem.details?.mandateId === 'string') setDuplicateOf(problem.details.mandateId);
      setErrors([{ field: 'renew-submit', message: t(errorMessageKey(problem.code)) }]);
    }
  };

  const range = (from: string, until: string) =>
    t('validity.range', { from: formatDay(from, labels.language), until: formatDay(until, labels.language) });
  const partyText = (p: Party) => {
    const text = `${t(`party.${p.kind}`)} ${formatIdentifier(p.kind, p.id)}`;
    return labels.isMe(p) ? t('party.youMarker', { party: text }) : text;
  };

  return (
    <div className="grid-two-thirds">
      <BackLink to={`/mandates/${id}`}>{t('common.back')}</BackLink>
      <ErrorSummary errors={errors} />
      {duplicateOf ? (
        <p className="body">
          <Link to={`/mandates/${duplicateOf}`}>{t('renew.viewExisting')}</Link>
        </p>
      ) : null}
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
      <p className="body">{t('renew.explain', { party: labels.partyPhrase(other) })}</p>
      <SummaryList
        id="renewal"
        rows={[
          { key: t('detail.type'), value: labels.typeLabel(mandate.type) },
          { key: t('detail.mandator'), value: partyText(mandate.mandator) },
          { key: t('detail.mandatee'), value: partyText(mandate.mandatee) },
          { key: t('renew.currentValidity'), value: range(mandate.validFrom, mandate.validUntil) },
          { key: t('renew.newValidity'), value: <strong>{range(next.validFrom, next.validUntil)}</strong> },
          { key: t('detail.reference'), value: mandate.reference ?? t('common.none') },
          { key: t('detail.language'), value: t(`language.${mandate.language}`, { lng: mandate.language }) },
        ]}
      />
      <p className="body">{t('renew.declaration', { role: t(`role.${me.role}Lower`), party: labels.partyPhrase(me.party) })}</p>
      <form onSubmit={submit} noValidate>
        <Button id="renew-submit" disabled={busy}>
          {t('renew.submit')}
        </Button>
      </form>
      <p className="body">
        <Link to={`/mandates/${id}`}>{t('common.cancel')}</Link>
      </p>
    </div>
  );
}

function RenewDone({ id }: { id: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [stored] = useState(() => readJson<CommandResult>(resultKey(id)));
  useDocumentTitle(t('renew.doneTitle'));
  if (!stored) {
    return (
      <>
        <PageHeading>{t('renew.doneTitle')}</PageHeading>
        <p className="body">
          <Link to={`/mandates/${id}`}>{t('actions.backToMandate')}</Link>
        </p>
      </>
    );
  }
  const renewed: Mandate = stored.mandate;
  const waiting = renewed.waitingFor.map((role) => labels.partyWithYou(renewed[role])).join(', ');
  return (
    <div className="grid-two-thirds">
      <Panel title={<PageHeading>{t('renew.doneTitle')}</PageHeading>}>
        {t('renew.doneBody', {
          from: formatDay(renewed.validFrom, labels.language),
          until: renewed.validUntil ? formatDay(renewed.validUntil, labels.language) : t('validity.unlimited'),
          parties: waiting,
        })}
      </Panel>
      <ul className="list">
        <li>
          <Link to={`/mandates/${renewed.id}`}>{t('renew.viewNew')}</Link>
        </li>
        <li>
          <Link to={`/mandates/${id}`}>{t('renew.viewCurrent')}</Link>
        </li>
        <li>
          <Link to="/mandates">{t('nav.mandates')}</Link>
        </li>
      </ul>
    </div>
  );
}
