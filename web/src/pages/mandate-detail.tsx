// One mandate: parties, type, validity, effective state in words, signatures and full history, and
// the actions open to the party the person looks at it as.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAppState, useLabels } from '../app-state.js';
import { BackLink, NotificationBanner, StatusTag, SummaryList, type SummaryRow } from '../components/display.js';
import { PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api, proofUrl } from '../lib/api.js';
import { formatDay, formatInstant, today } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import { type Action, availableActions, isTransferPending, roleOf, viewerParty } from '../lib/mandates.js';
import { daysBetween, renewalOffer } from '../lib/renewal.js';
import type { HistoryEntry, Mandate, Party, Role, Session } from '../lib/types.js';

export function MandateDetailPage() {
  return (
    <RequireSession>
      <MandateDetail />
    </RequireSession>
  );
}

/** Loads a mandate and works out whose eyes the person looks through; shared with the action pages. */
export function useMandate(id: string) {
  const { session, acting } = useAppState();
  const [data, setData] = useState<{ mandate: Mandate; history: HistoryEntry[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = useCallback(() => {
    setError(null);
    return api.getMandate(id).then(
      (result) => {
        setData(result);
        return result.mandate;
      },
      (failure: unknown) => {
        setError(failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure)));
        return undefined;
      },
    );
  }, [id]);
  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);
  const me = data && session ? viewerOf(data.mandate, session, acting) : undefined;
  return { data, error, reload, me };
}

export function viewerOf(mandate: Mandate, session: Session, acting: Party | null): { party: Party; role: Role } | undefined {
  const party = viewerParty(
    mandate,
    { kind: 'person', id: session.person.nationalNumber },
    session.enterprises.map((e) => e.enterpriseNumber),
    acting,
  );
  const role = party ? roleOf(mandate, party) : undefined;
  return party && role ? { party, role } : undefined;
}

const ACTION_LABEL: Record<Action, (m: Mandate) => string> = {
  sign: (m) => (m.status === 'signed' ? 'actions.signAmendment' : 'actions.sign'),
  refuse: (m) => (m.status === 'signed' ? 'actions.refuseAmendment' : 'actions.refuse'),
  withdraw: (m) => (m.status === 'signed' ? 'actions.withdrawAmendment' : 'actions.withdraw'),
  stop: () => 'actions.stop',
  amend: () => 'actions.amend',
  transfer: () => 'actions.transfer',
};

function MandateDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const labels = useLabels();
  const { acting } = useAppState();
  const { data, error, me } = useMandate(id);
  const title = data ? labels.typeLabel(data.mandate.type) : t('detail.caption');
  useDocumentTitle(title, error !== null);
  if (error) {
    return error.code === 'MANDATE_NOT_FOUND' ? (
      <>
        <BackLink to="/mandates">{t('detail.back')}</BackLink>
        <LoadFailedNotFound />
      </>
    ) : (
      <LoadFailed error={error} title={t('detail.caption')} />
    );
  }
  if (!data) return <Loading />;
  const { mandate, history } = data;
  const actions = me ? availableActions(mandate, me.role) : [];
  const waitingForMe = me !== undefined && actions.includes('sign');
  const renewal = me ? renewalOffer(mandate, today()) : undefined;

  return (
    <>
      <BackLink to="/mandates">{t('detail.back')}</BackLink>
      <PageHeading caption={t('detail.caption')}>{title}</PageHeading>
      <p className="body-l">
        <StatusTag mandate={mandate} /> <span className="state-text">{stateText(t, mandate, labels.language)}</span>
      </p>
      {me && acting && (me.party.kind !== acting.kind || me.party.id !== acting.id) ? (
        <p className="body">{t('detail.actingAs', { party: labels.partyPhrase(me.party) })}</p>
      ) : null}
      {waitingForMe ? (
        <NotificationBanner>
          <p className="body">
            <strong>{t('common.labelValue', { label: t('detail.waitingFor'), value: t('detail.waitingForYou') })}</strong>
          </p>
        </NotificationBanner>
      ) : null}
      {renewal === 'soon' && mandate.validUntil ? (
        <NotificationBanner>
          <p className="body" data-testid="renewal-banner">
            {t('renew.endsSoon', {
              date: formatDay(mandate.validUntil, labels.language),
              count: daysBetween(today(), mandate.validUntil),
            })}
          </p>
        </NotificationBanner>
      ) : null}

      <section aria-labelledby="actions-heading" className="section">
        <h2 className="heading-m" id="actions-heading">
          {t('detail.actionsHeading')}
        </h2>
        {actions.length === 0 && !renewal ? (
          <p className="body">{t('detail.noActions')}</p>
        ) : (
          <ul className="button-group">
            {renewal ? (
              <li>
                <Link to={`/mandates/${mandate.id}/renew`} className="button button--primary">
                  {t('renew.start')}
                </Link>
              </li>
            ) : null}
            {actions.map((action) => (
              <li key={action}>
                <Link
                  to={`/mandates/${mandate.id}/${action}`}
                  className={`button ${action === 'sign' ? 'button--primary' : action === 'stop' || action === 'refuse' ? 'button--warning' : 'button--secondary'}`}
                >
                  {t(ACTION_LABEL[action](mandate))}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p className="body">
          <a href={proofUrl(mandate.id, labels.language)} download className="file-link" data-testid="proof-link">
            {t('proof.download')}
          </a>
          <br />
          <span className="hint">{t('proof.hint')}</span>
        </p>
      </section>

      <section aria-labelledby="summary-heading" className="section">
        <h2 className="heading-l" id="summary-heading">
          {t('detail.summary')}
        </h2>
        <SummaryList rows={summaryRows(t, mandate, labels, me?.role)} />
      </section>

      <Signatures mandate={mandate} />
      <History history={history} mandate={mandate} />
    </>
  );
}

function LoadFailedNotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading>{t('detail.caption')}</PageHeading>
      <p className="body">{t('detail.notFound')}</p>
    </>
  );
}

type T = ReturnType<typeof useTranslation>['t'];
type Labels = ReturnType<typeof useLabels>;

export function stateText(t: T, m: Mandate, language: Labels['language']): string {
  return t(`stateText.${m.state}`, {
    from: formatDay(m.validFrom, language),
    until: m.validUntil ? formatDay(m.validUntil, language) : '',
  });
}

function partyCell(t: T, labels: Labels, p: Party) {
  const text = `${t(`party.${p.kind}`)} ${formatIdentifier(p.kind, p.id)}`;
  return labels.isMe(p) ? t('party.youMarker', { party: text }) : text;
}

function summaryRows(t: T, m: Mandate, labels: Labels, myRole: Role | undefined): SummaryRow[] {
  const rows: SummaryRow[] = [
    { key: t('detail.type'), value: labels.typeLabel(m.type) },
    { key: t('detail.domain'), value: labels.domainLabel(m.domain) },
    { key: t('detail.mandator'), value: partyCell(t, labels, m.mandator) },
    { key: t('detail.mandatee'), value: partyCell(t, labels, m.mandatee) },
    { key: t('detail.validFrom'), value: formatDay(m.validFrom, labels.language) },
    { key: t('detail.validUntil'), value: m.validUntil ? formatDay(m.validUntil, labels.language) : t('validity.unlimited') },
    { key: t('detail.reference'), value: m.reference ?? t('common.none') },
    { key: t('detail.language'), value: t(`language.${m.language}`, { lng: m.language }) },
  ];
  if (m.waitingFor.length > 0 && (m.status === 'pending' || m.pendingAmendment)) {
    rows.push({
      key: t('detail.waitingFor'),
      value: m.waitingFor
        .map((role) => (role === myRole ? t('detail.waitingForYou') : t('detail.waitingForParty', { party: labels.partyPhrase(m[role]) })))
        .join('; '),
    });
  }
  if (m.proposalExpiresAt) rows.push({ key: t('detail.proposalExpires'), value: formatInstant(m.proposalExpiresAt, labels.language) });
  if (m.pendingAmendment) {
    rows.push({
      key: t('detail.pendingAmendment'),
      value: t('detail.pendingAmendmentText', {
        until: m.pendingAmendment.validUntil ? formatDay(m.pendingAmendment.validUntil, labels.language) : t('validity.unlimited'),
        role: t(m.pendingAmendment.proposedBy === 'mandator' ? 'role.mandatorLower' : 'role.mandateeLower'),
        at: formatInstant(m.pendingAmendment.at, labels.language),
      }),
    });
  }
  if (m.predecessorId)
    rows.push({ key: t('detail.predecessor'), value: <Link to={`/mandates/${m.predecessorId}`}>{m.predecessorId}</Link> });
  if (m.successorId) {
    rows.push({
      key: isTransferPending(m) ? t('detail.successorPending') : t('detail.successor'),
      value: <Link to={`/mandates/${m.successorId}`}>{m.successorId}</Link>,
    });
  }
  if (m.endedAt) {
    const by = m.endedBy === 'system' || m.endedBy === null ? t('detail.endedBySystem') : labels.partyWithYou(m[m.endedBy]);
    rows.push({ key: t('detail.ended'), value: t('detail.endedText', { at: formatInstant(m.endedAt, labels.language), by }) });
  }
  if (m.endReason) rows.push({ key: t('detail.endReason'), value: m.endReason });
  return rows;
}

function Signatures({ mandate }: { mandate: Mandate }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <section aria-labelledby="signatures-heading" className="section">
      <h2 className="heading-l" id="signatures-heading">
        {t('detail.signaturesHeading')}
      </h2>
      {mandate.signatures.length === 0 ? (
        <p className="body">{t('detail.noSignatures')}</p>
      ) : (
        <table className="table table--responsive">
          <caption className="table__caption visually-hidden">{t('detail.signaturesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('detail.signatureParty')}</th>
              <th scope="col">{t('detail.signatureSigner')}</th>
              <th scope="col">{t('detail.signatureAt')}</th>
              <th scope="col">{t('detail.signatureVersion')}</th>
            </tr>
          </thead>
          <tbody>
            {mandate.signatures.map((s) => (
              <tr key={`${s.role}-${s.version}-${s.at}`}>
                <th scope="row" data-label={t('detail.signatureParty')}>
                  {t('common.labelValue', { label: t(`role.${s.role}`), value: partyCell(t, labels, s.party) })}
                </th>
                <td data-label={t('detail.signatureSigner')}>{signerText(labels, s.signer)}</td>
                <td data-label={t('detail.signatureAt')}>{formatInstant(s.at, labels.language)}</td>
                <td data-label={t('detail.signatureVersion')}>
                  {s.version} ({t(signatureVersionKey(s.contentHash, mandate))})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Whether a signature is on the current content, on the pending amendment, or on an earlier version. */
function signatureVersionKey(hash: string, m: Mandate): string {
  if (hash === m.contentHash) return 'detail.signatureCurrent';
  if (m.pendingAmendment && hash === m.pendingAmendment.contentHash) return 'detail.signatureAmendment';
  return 'detail.signatureEarlier';
}

/** The signer as a table cell: a name when known, else the number, starting with a capital. */
function signerText(labels: Labels, nationalNumber: string) {
  const text = labels.partyWithYou({ kind: 'person', id: nationalNumber });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function History({ history, mandate }: { history: HistoryEntry[]; mandate: Mandate }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  return (
    <section aria-labelledby="history-heading" className="section">
      <h2 className="heading-l" id="history-heading">
        {t('detail.historyHeading')}
      </h2>
      <ol className="timeline">
        {history.map((entry) => {
          const known = i18n.exists(`detail.events.${entry.type}`);
          const actor =
            entry.actor.kind === 'person' && entry.actor.id
              ? t('detail.historyBy', { actor: labels.partyWithYou({ kind: 'person', id: entry.actor.id }) })
              : t('detail.historySystem');
          const onBehalf =
            entry.onBehalfOf && !(entry.onBehalfOf.kind === 'person' && entry.onBehalfOf.id === entry.actor.id)
              ? ` ${t('detail.historyFor', { party: labels.partyWithYou(entry.onBehalfOf) })}`
              : '';
          const extra = historyDetail(t, labels, entry, mandate);
          return (
            <li key={entry.seq} className="timeline__item">
              <h3 className="heading-s timeline__title">{t(known ? `detail.events.${entry.type}` : 'detail.events.other')}</h3>
              <p className="timeline__meta">
                <time dateTime={entry.at}>{formatInstant(entry.at, labels.language)}</time>, {actor}
                {onBehalf}
              </p>
              {extra ? <p className="timeline__detail">{extra}</p> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function historyDetail(t: T, labels: Labels, entry: HistoryEntry, mandate: Mandate): string | null {
  const data = entry.data;
  if (typeof data.reason === 'string' && data.reason) return t('common.labelValue', { label: t('detail.endReason'), value: data.reason });
  if ((entry.type === 'MandateAmended' || entry.type === 'AmendmentProposed') && 'validUntil' in data) {
    const until = typeof data.validUntil === 'string' ? formatDay(data.validUntil, labels.language) : t('validity.unlimited');
    return t('common.labelValue', { label: t('detail.validUntil'), value: until });
  }
  if (entry.type === 'TransferProposed' && typeof data.newMandatee === 'object' && data.newMandatee) {
    return t('common.labelValue', { label: t('actions.transferPage.newMandatee'), value: labels.partyPhrase(data.newMandatee as Party) });
  }
  if (entry.type === 'MandateProposed' && mandate.predecessorId)
    return t('common.labelValue', { label: t('detail.predecessor'), value: mandate.predecessorId });
  return null;
}
