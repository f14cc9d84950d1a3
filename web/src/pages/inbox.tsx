// The in-app inbox: what happened to the mandates of the party acted for, newest first, unread ones
// marked in words; each can be marked read, or all at once. The header shows the unread count.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAppState, useLanguage } from '../app-state.js';
import { Button, PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api } from '../lib/api.js';
import { errorMessageKey } from '../lib/errors.js';
import { formatInstant } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import type { InboxItem } from '../lib/types.js';

export function InboxPage() {
  return (
    <RequireSession>
      <Inbox />
    </RequireSession>
  );
}

const asError = (failure: unknown) => (failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure)));

function Inbox() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { actingEnterprise, announce, setUnread } = useAppState();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [unread, setUnreadHere] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const title = actingEnterprise ? t('inbox.titleEnterprise', { id: formatIdentifier('enterprise', actingEnterprise) }) : t('inbox.title');
  useDocumentTitle(title, error !== null);

  // Texts come from the server in the reader's language: load again when it changes.
  useEffect(() => {
    let current = true;
    setItems(null);
    setError(null);
    api.inbox(actingEnterprise, language, { limit: 20 }).then(
      (page) => {
        if (!current) return;
        setItems(page.items);
        setNext(page.next);
        setUnreadHere(page.unread);
        setUnread(page.unread);
      },
      (failure: unknown) => current && setError(asError(failure)),
    );
    return () => {
      current = false;
    };
  }, [actingEnterprise, language, setUnread]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await api.inbox(actingEnterprise, language, { limit: 20, cursor: next });
      setItems((current) => [...(current ?? []), ...page.items]);
      setNext(page.next);
      announce(t('inbox.moreLoaded', { count: page.items.length }));
    } catch (failure) {
      setActionError(t(errorMessageKey(asError(failure).code)));
    }
  };

  const markRead = useCallback(
    async (ids: string[] | null) => {
      setActionError(null);
      try {
        const result = await api.markRead(actingEnterprise, ids);
        setItems((current) => (current ?? []).map((item) => (ids === null || ids.includes(item.id) ? { ...item, read: true } : item)));
        setUnreadHere(result.unread);
        setUnread(result.unread);
        announce(ids === null ? t('inbox.allMarked') : t('inbox.marked'));
      } catch (failure) {
        setActionError(t(errorMessageKey(asError(failure).code)));
      }
    },
    [actingEnterprise, announce, setUnread, t],
  );

  if (error) return <LoadFailed error={error} title={title} />;
  return (
    <>
      <div className="page-header">
        <PageHeading>{title}</PageHeading>
        <Link to="/contact" className="button button--secondary">
          {t('inbox.settings')}
        </Link>
      </div>
      <p className="body">{t('inbox.lead')}</p>
      {actionError ? (
        <div className="error-summary" role="alert">
          <h2 className="error-summary__title">{t('errors.summaryTitle')}</h2>
          <p className="body">{actionError}</p>
        </div>
      ) : null}
      {items === null ? (
        <Loading />
      ) : (
        <>
          <p className="body" data-testid="unread-count">
            {unread > 0 ? t('inbox.unreadSummary', { count: unread }) : t('inbox.allRead')}
          </p>
          {unread > 0 ? (
            <Button type="button" variant="secondary" onClick={() => void markRead(null)}>
              {t('inbox.markAll')}
            </Button>
          ) : null}
          {items.length === 0 ? (
            <p className="body">{t('inbox.empty')}</p>
          ) : (
            <ul className="inbox-list" aria-label={t('inbox.listLabel')}>
              {items.map((item) => (
                <Notification key={item.id} item={item} onRead={() => void markRead([item.id])} />
              ))}
            </ul>
          )}
          {next ? (
            <Button type="button" variant="secondary" onClick={() => void more()}>
              {t('inbox.more')}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}

function Notification({ item, onRead }: { item: InboxItem; onRead(): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingId = `notification-${item.id}`;
  return (
    <li className={`inbox-item${item.read ? '' : ' inbox-item--unread'}`} data-read={item.read}>
      <div className="inbox-item__head">
        <h2 className="heading-s inbox-item__title" id={headingId}>
          {item.read ? null : (
            <>
              <strong className="tag tag--blue">{t('inbox.new')}</strong>{' '}
            </>
          )}
          {item.title}
        </h2>
        <time className="inbox-item__time" dateTime={item.at}>
          {formatInstant(item.at, language)}
        </time>
      </div>
      <p className="body inbox-item__text">{item.text}</p>
      <ul className="inbox-item__actions">
        {item.mandateId ? (
          <li>
            <Link to={`/mandates/${item.mandateId}`}>
              {t('inbox.view')}
              <span className="visually-hidden">: {item.title}</span>
            </Link>
          </li>
        ) : null}
        {item.read ? null : (
          <li>
            <button type="button" className="link-button" onClick={onRead}>
              {t('inbox.markRead')}
              <span className="visually-hidden">: {item.title}</span>
            </button>
          </li>
        )}
      </ul>
    </li>
  );
}
