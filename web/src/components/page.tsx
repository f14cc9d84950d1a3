// Page-level helpers: the document title, the signed-in guard, loading and failure states.
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useAppState } from '../app-state.js';
import { type ApiError, signInUrl } from '../lib/api.js';
import { errorMessageKey } from '../lib/errors.js';
import { PageHeading } from './forms.js';

/** "<page> – Self-Service Mandates", prefixed with "Error:" while the page shows errors. */
export function useDocumentTitle(title: string, hasErrors = false) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${hasErrors ? `${t('common.errorPrefix')} ` : ''}${title} – ${t('common.serviceName')}`;
  }, [title, hasErrors, t]);
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="body" role="status">
      {t('common.loading')}
    </p>
  );
}

/** Renders its children only for a signed-in person; otherwise offers to sign in and come back here. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, sessionError } = useAppState();
  if (session === undefined) return <Loading />;
  // The service could not tell who is signed in (unreachable, rate limited …): say so, not "sign in".
  if (session === null && sessionError) return <LoadFailed error={sessionError} title={t('signInNeeded.title')} />;
  if (session === null) return <SignInNeeded />;
  return <>{children}</>;
}

export function SignInNeeded({ expired = false }: { expired?: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  useDocumentTitle(t('signInNeeded.title'));
  return (
    <>
      <PageHeading>{t('signInNeeded.title')}</PageHeading>
      <p className="body-l">{expired ? t('signInNeeded.expired') : t('signInNeeded.body')}</p>
      <a className="button button--primary button--start" href={signInUrl(`${location.pathname}${location.search}`)}>
        {t('common.signIn')}
      </a>
    </>
  );
}

/** A failed load: the translated reason and a way forward. */
export function LoadFailed({ error, title }: { error: ApiError; title: string }) {
  const { t } = useTranslation();
  useDocumentTitle(title, true);
  if (error.status === 401) return <SignInNeeded expired />;
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <div className="error-summary" role="alert">
        <h2 className="error-summary__title">{t('errors.summaryTitle')}</h2>
        <p className="body">{t(errorMessageKey(error.code))}</p>
      </div>
    </>
  );
}
