// The executors of the enterprise acted for: the people it names to carry out its mandates of given
// types (a business application's check naming such a person as the one acting is then allowed).
// Its representatives name a person for one or more types at once, and remove them a type at a time.
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState, useLabels } from '../app-state.js';
import { NotificationBanner } from '../components/display.js';
import { Button, Checkboxes, ErrorSummary, errorFor, type FieldError, PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api } from '../lib/api.js';
import { errorMessageKey } from '../lib/errors.js';
import { finalIdentifierCheck, formatIdentifier } from '../lib/identifiers.js';
import type { ExecutorList } from '../lib/types.js';
import { PartyIdInput } from '../wizard/steps.js';

export function ExecutorsPage() {
  return (
    <RequireSession>
      <Executors />
    </RequireSession>
  );
}

const asError = (failure: unknown) => (failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure)));

/** Where a problem the server names belongs on this page. */
const fieldOf = (problem: ApiError) =>
  problem.field === 'nationalNumber' ? 'executor-person' : problem.field?.startsWith('types') ? 'executor-type' : 'executor-submit';

function Executors() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const { actingEnterprise, catalogue, announce } = useAppState();
  const [list, setList] = useState<ExecutorList | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [form, setForm] = useState<{ person: string; types: string[] }>({ person: '', types: [] });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = actingEnterprise
    ? t('executors.title', { id: formatIdentifier('enterprise', actingEnterprise) })
    : t('executors.titleNoEnterprise');
  useDocumentTitle(title, errors.length > 0 || loadError !== null);

  const load = useCallback(async (enterprise: string) => setList(await api.executors(enterprise)), []);
  useEffect(() => {
    setList(null);
    setLoadError(null);
    if (actingEnterprise) load(actingEnterprise).catch((failure: unknown) => setLoadError(asError(failure)));
  }, [actingEnterprise, load]);

  const groups = useMemo(
    () =>
      (catalogue?.domains ?? [])
        .map((d) => ({
          label: labels.domainLabel(d.id),
          options: (catalogue?.types ?? [])
            .filter((type) => type.domain === d.id && type.mandateeKinds.includes('enterprise'))
            .map((type) => ({ value: type.id, label: labels.typeLabel(type.id) })),
        }))
        .filter((g) => g.options.length > 0),
    [catalogue, labels],
  );

  if (!actingEnterprise) {
    return (
      <div className="grid-two-thirds">
        <PageHeading>{title}</PageHeading>
        <p className="body">{t('executors.chooseEnterprise')}</p>
      </div>
    );
  }
  if (loadError) return <LoadFailed error={loadError} title={title} />;
  if (!list) return <Loading />;

  const typesOf = (person: string) => list.executors.find((e) => e.person === person)?.types ?? [];

  const change = async (person: string, types: string[], message: string) => {
    if (busy) return;
    setBusy(true);
    setDone(null);
    try {
      await api.setExecutorTypes(actingEnterprise, person, types);
      await load(actingEnterprise);
      setErrors([]);
      setDone(message);
      announce(message);
      return true;
    } catch (failure) {
      const problem = asError(failure);
      setErrors([{ field: fieldOf(problem), message: t(errorMessageKey(problem.code)) }]);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    const person = finalIdentifierCheck('person', form.person);
    if (person.state !== 'valid') {
      const key = person.state === 'invalid' ? `errors.${person.problem}` : 'executors.personMissing';
      found.push({ field: 'executor-person', message: t(key) });
    }
    if (form.types.length === 0) found.push({ field: 'executor-type', message: t('executors.typeMissing') });
    if (found.length > 0 || person.state !== 'valid') {
      setDone(null);
      setErrors(found);
      return;
    }
    const named = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(form.types.map(labels.typeLabel));
    const message = t('executors.added', { person: person.formatted, type: named });
    if (await change(person.value, [...new Set([...typesOf(person.value), ...form.types])], message)) setForm({ person: '', types: [] });
  };

  const rows = list.executors.flatMap((e) => e.types.map((type) => ({ person: e.person, type })));
  return (
    <div className="grid-two-thirds">
      <ErrorSummary errors={errors} />
      {done ? (
        <NotificationBanner kind="success">
          <p className="body">{done}</p>
        </NotificationBanner>
      ) : null}
      <PageHeading>{title}</PageHeading>
      <p className="body">{t('executors.lead')}</p>
      {rows.length === 0 ? (
        <p className="body" data-testid="no-executors">
          {t('executors.none')}
        </p>
      ) : (
        <table className="table table--responsive" data-testid="executors">
          <caption className="table__caption visually-hidden">{t('executors.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('executors.person')}</th>
              <th scope="col">{t('executors.type')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('executors.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ person, type }) => {
              const who = formatIdentifier('person', person);
              const what = labels.typeLabel(type);
              return (
                <tr key={`${person}|${type}`}>
                  <th scope="row" data-label={t('executors.person')}>
                    {who}
                  </th>
                  <td data-label={t('executors.type')}>{what}</td>
                  <td data-label={t('executors.actions')}>
                    <Button
                      type="button"
                      variant="secondary"
                      disabled={busy}
                      onClick={() =>
                        void change(
                          person,
                          typesOf(person).filter((x) => x !== type),
                          t('executors.removed', { person: who, type: what }),
                        )
                      }
                    >
                      {t('executors.remove')}
                      <span className="visually-hidden"> {t('executors.removeWhat', { person: who, type: what })}</span>
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2 className="heading-m">{t('executors.addHeading')}</h2>
      <form onSubmit={(event) => void add(event)} noValidate>
        <PartyIdInput
          id="executor-person"
          kind="person"
          label={t('executors.personLabel')}
          value={form.person}
          onChange={(person) => setForm({ ...form, person })}
          error={errorFor(errors, 'executor-person')}
        />
        <Checkboxes
          id="executor-type"
          legend={t('executors.typeLabel')}
          hint={t('executors.typeHint')}
          error={errorFor(errors, 'executor-type')}
          values={form.types}
          onChange={(types) => setForm({ ...form, types })}
          groups={groups}
        />
        <Button id="executor-submit" disabled={busy}>
          {t('executors.add')}
        </Button>
      </form>
    </div>
  );
}
