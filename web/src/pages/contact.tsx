// Contact details of the party acted for: the e-mail address that gets the digests and reminders
// (only once confirmed by the link sent to it) and the language of the messages.
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAppState, useLanguage } from '../app-state.js';
import { NotificationBanner, SummaryList } from '../components/display.js';
import { useFieldErrors } from '../components/errors.js';
import { Button, ErrorSummary, errorFor, type FieldError, PageHeading, Radios, TextInput } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api } from '../lib/api.js';
import { type ContactForm, contactChange, contactFormOf, emailState } from '../lib/contact.js';
import { errorMessageKey } from '../lib/errors.js';
import { formatInstant, isLanguage, LANGUAGES } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import type { Contact } from '../lib/types.js';

export function ContactPage() {
  return (
    <RequireSession>
      <ContactDetails />
    </RequireSession>
  );
}

const asError = (failure: unknown) => (failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure)));

function ContactDetails() {
  const { t } = useTranslation();
  const language = useLanguage();
  const translate = useFieldErrors();
  const { actingEnterprise, announce } = useAppState();
  const [contact, setContact] = useState<Contact | null>(null);
  const [form, setForm] = useState<ContactForm>({ email: '', language: '' });
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saved, setSaved] = useState<'saved' | 'linkSent' | 'unchanged' | null>(null);
  const [busy, setBusy] = useState(false);
  const title = actingEnterprise
    ? t('contact.titleEnterprise', { id: formatIdentifier('enterprise', actingEnterprise) })
    : t('contact.title');
  useDocumentTitle(title, errors.length > 0 || loadError !== null);

  useEffect(() => {
    let current = true;
    setContact(null);
    setLoadError(null);
    api.contact(actingEnterprise).then(
      (c) => {
        if (!current) return;
        setContact(c);
        setForm(contactFormOf(c));
      },
      (failure: unknown) => current && setLoadError(asError(failure)),
    );
    return () => {
      current = false;
    };
  }, [actingEnterprise]);

  const send = async (change: { email?: string | null; language?: (typeof LANGUAGES)[number] | null }) => {
    if (busy) return;
    setBusy(true);
    setSaved(null);
    try {
      const next = await api.saveContact(actingEnterprise, change, language);
      setContact(next);
      setForm(contactFormOf(next));
      setErrors([]);
      const outcome = change.email && emailState(next) === 'pending' ? 'linkSent' : 'saved';
      setSaved(outcome);
      announce(outcome === 'linkSent' ? t('contact.linkSent', { email: next.email }) : t('contact.saved'));
    } catch (failure) {
      const problem = asError(failure);
      setErrors([{ field: problem.field === 'email' ? 'email' : 'contact-submit', message: t(errorMessageKey(problem.code)) }]);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!contact) return;
    const result = contactChange(form, contact);
    if (!result.ok) {
      setSaved(null);
      setErrors(translate(result.errors));
      return;
    }
    if (Object.keys(result.change).length === 0) {
      setErrors([]);
      setSaved('unchanged');
      announce(t('contact.unchanged'));
      return;
    }
    void send(result.change);
  };

  if (loadError) return <LoadFailed error={loadError} title={title} />;
  if (!contact) return <Loading />;
  const state = emailState(contact);
  const stateTag =
    state === 'confirmed' ? (
      <strong className="tag tag--green">{t('contact.confirmed')}</strong>
    ) : state === 'pending' ? (
      <strong className="tag tag--yellow">{t('contact.pending')}</strong>
    ) : state === 'expired' ? (
      <strong className="tag tag--red">{t('contact.expired')}</strong>
    ) : null;

  return (
    <div className="grid-two-thirds">
      <ErrorSummary errors={errors} />
      {saved ? (
        <NotificationBanner kind="success">
          <p className="body">
            {saved === 'linkSent'
              ? t('contact.linkSent', { email: contact.email })
              : saved === 'unchanged'
                ? t('contact.unchanged')
                : t('contact.saved')}
          </p>
        </NotificationBanner>
      ) : null}
      <PageHeading>{title}</PageHeading>
      <p className="body">{t('contact.lead')}</p>

      <h2 className="heading-m">{t('contact.currentHeading')}</h2>
      <SummaryList
        id="contact-summary"
        rows={[
          {
            key: t('contact.email'),
            value: contact.email ? (
              <>
                {contact.email} {stateTag}
              </>
            ) : (
              t('contact.noEmail')
            ),
          },
          {
            key: t('contact.language'),
            value: contact.language ? t(`language.${contact.language}`, { lng: contact.language }) : t('contact.languageOfMandate'),
          },
        ]}
      />
      {state === 'pending' || state === 'expired' ? (
        <NotificationBanner>
          <p className="body" data-testid="confirmation-pending">
            {state === 'pending'
              ? t('contact.pendingText', { email: contact.email, until: formatInstant(contact.confirmationPendingUntil ?? '', language) })
              : t('contact.expiredText', { email: contact.email })}
          </p>
          <Button type="button" variant="secondary" disabled={busy} onClick={() => void send({ email: contact.email })}>
            {t('contact.resend')}
          </Button>
        </NotificationBanner>
      ) : null}

      <h2 className="heading-m">{t('contact.changeHeading')}</h2>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="email"
          type="email"
          label={t('contact.emailLabel')}
          hint={t('contact.emailHint')}
          error={errorFor(errors, 'email')}
          value={form.email}
          onChange={(email) => setForm({ ...form, email })}
          autoComplete="email"
        />
        <Radios
          id="contact-language"
          name="contact-language"
          legend={t('contact.languageLegend')}
          value={form.language || 'mandate'}
          onChange={(value) => setForm({ ...form, language: isLanguage(value) ? value : '' })}
          options={[
            ...LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`, { lng: l }), lang: l })),
            { value: 'mandate', label: t('contact.languageOfMandate') },
          ]}
        />
        <Button id="contact-submit" disabled={busy}>
          {t('contact.save')}
        </Button>
      </form>
      <p className="body">
        <Link to="/inbox">{t('contact.toInbox')}</Link>
      </p>
    </div>
  );
}
