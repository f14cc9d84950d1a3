// The frame of every page: skip link, header with language and party switchers, main content that
// receives the focus on navigation, footer, and the live region for announcements.
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAppState } from '../app-state.js';
import { changeLanguage } from '../i18n/index.js';
import { LANGUAGES } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import { requestHeadingFocus } from './forms.js';

const SIGNED_OUT_KEY = 'ssm.signedOut';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const { announcement, session, actingEnterprise, refreshUnread } = useAppState();
  const first = useRef(true);
  const firstPath = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: each page change looks for new notifications
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    refreshUnread();
  }, [location.pathname]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation, which the path identifies
  useEffect(() => {
    // Keyboard and screen-reader users start reading the new page at its heading, as after a page load.
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading) heading.focus();
    else requestHeadingFocus();
  }, [location.pathname]);

  return (
    <>
      <a href="#main" className="skip-link">
        {t('common.skipLink')}
      </a>
      <header className="header">
        <div className="width-container header__inner">
          <div className="header__brand">
            <span className="header__gov">{t('common.govName')}</span>
            <Link to="/" className="header__service">
              {t('common.serviceName')}
            </Link>
          </div>
          <LanguageSwitcher />
        </div>
        {session ? <SessionBar /> : null}
      </header>
      <div className="width-container">
        <div className="phase-banner">
          <strong className="tag tag--grey">{t('common.beta')}</strong> <span>{t('common.betaText')}</span>
        </div>
        {session && actingEnterprise ? (
          <p className="acting-banner">{t('acting.banner', { id: formatIdentifier('enterprise', actingEnterprise) })}</p>
        ) : null}
        <main id="main" className="main" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer className="footer">
        <div className="width-container">
          <h2 className="visually-hidden">{t('nav.footer')}</h2>
          <ul className="footer__links">
            <li>
              <Link to="/accessibility">{t('nav.accessibility')}</Link>
            </li>
            <li>
              <a href="/docs">{t('nav.apiDocs')}</a>
            </li>
          </ul>
          <p className="footer__licence">{t('nav.licence')}</p>
        </div>
      </footer>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="live-region">
        {announcement}
      </div>
    </>
  );
}

function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { announce } = useAppState();
  return (
    <nav className="language-switcher" aria-label={t('language.label')}>
      <ul className="language-switcher__list">
        {LANGUAGES.map((language) => {
          const current = i18n.language === language;
          return (
            <li key={language}>
              <button
                type="button"
                className="language-switcher__button"
                lang={language}
                aria-current={current ? 'true' : undefined}
                onClick={async () => {
                  await changeLanguage(language);
                  announce(i18n.t('language.changed', { lng: language }));
                }}
              >
                {t(`language.${language}`, { lng: language })}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function SessionBar() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session, actingEnterprise, setActingEnterprise, announce, unread } = useAppState();
  const [choice, setChoice] = useState(actingEnterprise ?? '');
  useEffect(() => setChoice(actingEnterprise ?? ''), [actingEnterprise]);
  if (!session) return null;
  const name = session.person.name ?? formatIdentifier('person', session.person.nationalNumber);

  const switchParty = (event: FormEvent) => {
    event.preventDefault();
    setActingEnterprise(choice || undefined);
    announce(
      t('acting.changed', {
        party: choice ? t('acting.enterprise', { id: formatIdentifier('enterprise', choice) }) : t('acting.myself', { name }),
      }),
    );
    navigate('/mandates');
  };

  const signOut = async (event: FormEvent) => {
    event.preventDefault();
    let endSessionUrl: string | null = null;
    try {
      const response = await fetch('/auth/logout', { method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) endSessionUrl = ((await response.json()) as { endSessionUrl: string | null }).endSessionUrl;
    } catch {
      // The local session may already be gone; going to the start page is right either way.
    }
    setActingEnterprise(undefined);
    try {
      window.sessionStorage.setItem(SIGNED_OUT_KEY, '1');
    } catch {
      // Only the "you have been signed out" banner depends on it.
    }
    window.location.assign(endSessionUrl ?? '/');
  };

  return (
    <div className="session-bar">
      <div className="width-container session-bar__inner">
        <nav aria-label={t('nav.label')} className="session-bar__nav">
          <ul className="session-bar__links">
            <li>
              <Link to="/mandates">{t('nav.mandates')}</Link>
            </li>
            <li>
              <Link to="/mandates/new">{t('nav.create')}</Link>
            </li>
            <li>
              <Link to="/inbox" data-testid="inbox-link">
                {t('nav.inbox')}
                {unread ? (
                  <>
                    {' '}
                    <span className="count-badge">{t('nav.unread', { count: unread })}</span>
                  </>
                ) : null}
              </Link>
            </li>
            <li>
              <Link to="/jobs">{t('nav.jobs')}</Link>
            </li>
            <li>
              <Link to="/why">{t('nav.why')}</Link>
            </li>
            <li>
              <Link to="/contact">{t('nav.contact')}</Link>
            </li>
            {session.enterprises.length > 0 ? (
              <li>
                <Link to="/executors">{t('nav.executors')}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
        {session.enterprises.length > 0 ? (
          <form className="acting-switcher" onSubmit={switchParty}>
            <label htmlFor="acting-for" className="acting-switcher__label">
              {t('acting.label')}
            </label>
            <select id="acting-for" className="select" value={choice} onChange={(event) => setChoice(event.target.value)}>
              <option value="">{t('acting.myself', { name })}</option>
              {session.enterprises.map((e) => (
                <option key={e.enterpriseNumber} value={e.enterpriseNumber}>
                  {t('acting.enterprise', { id: formatIdentifier('enterprise', e.enterpriseNumber) })}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--secondary button--small">
              {t('acting.apply')}
            </button>
          </form>
        ) : null}
        <form className="session-bar__signout" method="post" action="/auth/logout" onSubmit={signOut}>
          <span className="session-bar__who">{t('nav.signedInAs', { name })}</span>
          <button type="submit" className="button button--secondary button--small">
            {t('common.signOut')}
          </button>
        </form>
      </div>
    </div>
  );
}

/** True once, right after sign-out brought the person back to the start page. */
export function takeSignedOutFlag(): boolean {
  try {
    const flagged = window.sessionStorage.getItem(SIGNED_OUT_KEY) === '1';
    window.sessionStorage.removeItem(SIGNED_OUT_KEY);
    return flagged;
  } catch {
    return false;
  }
}
