// The start page: what the service does and what you need, then one button to sign in.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAppState } from '../app-state.js';
import { NotificationBanner } from '../components/display.js';
import { PageHeading } from '../components/forms.js';
import { takeSignedOutFlag } from '../components/layout.js';
import { useDocumentTitle } from '../components/page.js';
import { signInUrl } from '../lib/api.js';

export function StartPage() {
  const { t } = useTranslation();
  const { session } = useAppState();
  const [signedOut] = useState(takeSignedOutFlag);
  useDocumentTitle(t('start.title'));
  return (
    <div className="grid-two-thirds">
      {signedOut ? (
        <NotificationBanner kind="success">
          <p className="body">{t('start.signedOut')}</p>
        </NotificationBanner>
      ) : null}
      <PageHeading>{t('start.title')}</PageHeading>
      <p className="body-l">{t('start.lead')}</p>
      <h2 className="heading-m">{t('start.canHeading')}</h2>
      <ul className="list list--bullet">
        <li>{t('start.can1')}</li>
        <li>{t('start.can2')}</li>
        <li>{t('start.can3')}</li>
        <li>{t('start.can4')}</li>
        <li>{t('start.can5')}</li>
      </ul>
      {session ? (
        <Link to="/mandates" className="button button--primary button--start">
          {t('start.goToMandates')}
          <span aria-hidden="true" className="button__arrow">
            →
          </span>
        </Link>
      ) : (
        <a href={signInUrl('/mandates')} className="button button--primary button--start">
          {t('start.startButton')}
          <span aria-hidden="true" className="button__arrow">
            →
          </span>
        </a>
      )}
      <h2 className="heading-m">{t('start.beforeHeading')}</h2>
      <ul className="list list--bullet">
        <li>{t('start.before1')}</li>
        <li>{t('start.before2')}</li>
        <li>{t('start.before3')}</li>
      </ul>
    </div>
  );
}
