// Any path the application does not know.
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../components/forms.js';
import { useDocumentTitle } from '../components/page.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="grid-two-thirds">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p className="body">{t('notFound.body')}</p>
    </div>
  );
}
