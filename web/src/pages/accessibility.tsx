// The accessibility statement, in the structure of the EU model statement (Implementing Decision (EU) 2018/1523).
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../components/forms.js';
import { useDocumentTitle } from '../components/page.js';

const FEEDBACK_ADDRESS = 'accessibility@ssm.example';

export function AccessibilityPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('a11y.title'));
  return (
    <div className="grid-two-thirds">
      <PageHeading>{t('a11y.title')}</PageHeading>
      <p className="body">{t('a11y.intro')}</p>
      <p className="body">{t('a11y.scope')}</p>

      <h2 className="heading-l">{t('a11y.statusHeading')}</h2>
      <p className="body">{t('a11y.status')}</p>

      <h2 className="heading-l">{t('a11y.nonAccessibleHeading')}</h2>
      <p className="body">{t('a11y.nonAccessibleIntro')}</p>
      <h3 className="heading-m">{t('a11y.nonCompliance')}</h3>
      <ul className="list list--bullet">
        <li>{t('a11y.nonCompliance1')}</li>
        <li>{t('a11y.nonCompliance2')}</li>
      </ul>
      <h3 className="heading-m">{t('a11y.outOfScope')}</h3>
      <ul className="list list--bullet">
        <li>{t('a11y.outOfScope1')}</li>
        <li>{t('a11y.outOfScope2')}</li>
      </ul>

      <h2 className="heading-l">{t('a11y.preparationHeading')}</h2>
      <p className="body">{t('a11y.preparation')}</p>
      <p className="body">{t('a11y.method')}</p>

      <h2 className="heading-l">{t('a11y.feedbackHeading')}</h2>
      <p className="body">
        {t('a11y.feedbackBefore')} <a href={`mailto:${FEEDBACK_ADDRESS}`}>{FEEDBACK_ADDRESS}</a>
        {t('a11y.feedbackAfter')}
      </p>

      <h2 className="heading-l">{t('a11y.enforcementHeading')}</h2>
      <p className="body">{t('a11y.enforcement')}</p>
    </div>
  );
}
