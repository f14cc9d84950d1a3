// Read-only building blocks: summary lists, status tags (words, not colour alone), panels and banners.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isTransferPending } from '../lib/mandates.js';
import type { Mandate } from '../lib/types.js';

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  /** A link to change the answer, with the answer's name for screen readers. */
  change?: { to: string; what: string; id?: string };
}

export function SummaryList({ rows, id }: { rows: SummaryRow[]; id?: string }) {
  const { t } = useTranslation();
  return (
    <dl className="summary-list" id={id}>
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and never reordered
        <div className="summary-list__row" key={index}>
          <dt className="summary-list__key">{row.key}</dt>
          <dd className="summary-list__value">{row.value}</dd>
          {row.change ? (
            <dd className="summary-list__actions">
              <Link to={row.change.to} id={row.change.id}>
                {t('common.change')}
                <span className="visually-hidden"> {row.change.what}</span>
              </Link>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

type TagKey =
  | 'pending'
  | 'scheduled'
  | 'active'
  | 'expired'
  | 'refused'
  | 'withdrawn'
  | 'lapsed'
  | 'stopped'
  | 'transferred'
  | 'amendmentPending'
  | 'transferPending';

const TAG_COLOUR: Record<TagKey, string> = {
  pending: 'tag--yellow',
  amendmentPending: 'tag--yellow',
  transferPending: 'tag--purple',
  scheduled: 'tag--blue',
  active: 'tag--green',
  expired: 'tag--grey',
  refused: 'tag--red',
  withdrawn: 'tag--grey',
  lapsed: 'tag--grey',
  stopped: 'tag--red',
  transferred: 'tag--grey',
};

/** The tag key for a mandate: its effective state, or what is pending on a signed one. */
export function tagKeyOf(m: Mandate): TagKey {
  if (m.status === 'signed' && m.pendingAmendment && (m.state === 'active' || m.state === 'scheduled')) return 'amendmentPending';
  if (isTransferPending(m)) return 'transferPending';
  return m.state;
}

export function StatusTag({ mandate }: { mandate: Mandate }) {
  const { t } = useTranslation();
  const key = tagKeyOf(mandate);
  return <strong className={`tag ${TAG_COLOUR[key]}`}>{t(`state.${key}`)}</strong>;
}

/** The confirmation panel at the top of a "done" page. */
export function Panel({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="panel">
      {title}
      {children ? <div className="panel__body">{children}</div> : null}
    </div>
  );
}

export function NotificationBanner({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' }) {
  return (
    <div className={`notification notification--${kind}`} role={kind === 'success' ? 'status' : undefined}>
      <div className="notification__content">{children}</div>
    </div>
  );
}

export function WarningText({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="warning-text">
      <span className="warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="warning-text__text">
        <span className="visually-hidden">{t('common.warning')} </span>
        {children}
      </strong>
    </div>
  );
}

export function InsetText({ children, live }: { children: ReactNode; live?: boolean }) {
  return (
    <div className="inset-text" aria-live={live ? 'polite' : undefined}>
      {children}
    </div>
  );
}

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="back-link">
      {children}
    </Link>
  );
}
