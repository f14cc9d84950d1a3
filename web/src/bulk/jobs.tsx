// Bulk jobs: the list of mine, and one job with its progress (polled while it runs, shown in an
// accessible progress bar), its outcome per item and the report to download.
import { type MouseEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAppState, useLanguage } from '../app-state.js';
import { BackLink, SummaryList } from '../components/display.js';
import { Button, PageHeading } from '../components/forms.js';
import { LoadFailed, Loading, RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api, jobReportUrl } from '../lib/api.js';
import { announcedPercent, isJobRunning, jobPercent } from '../lib/bulk.js';
import { errorMessageKey } from '../lib/errors.js';
import { formatInstant } from '../lib/format.js';
import { formatIdentifier } from '../lib/identifiers.js';
import type { BatchItem, BatchJob, JobResult } from '../lib/types.js';

const asError = (failure: unknown) => (failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure)));

type T = ReturnType<typeof useTranslation>['t'];

const KIND_KEYS: Record<string, string> = {
  operations: 'operations',
  'sign-selected': 'signSelected',
  'stop-selected': 'stopSelected',
  'transfer-portfolio': 'transferPortfolio',
  'sign-waiting': 'signWaiting',
};

/** What a job does, in words: the file it came from, or its kind. */
export function jobTitle(t: T, job: Pick<BatchJob, 'kind' | 'source' | 'fileName'>): string {
  if (job.source === 'csv') return t('jobs.kinds.csv', { file: job.fileName ?? 'CSV' });
  return t(`jobs.kinds.${KIND_KEYS[job.kind] ?? 'operations'}`);
}

const STATUS_COLOUR: Record<BatchJob['status'], string> = {
  queued: 'tag--grey',
  running: 'tag--blue',
  done: 'tag--green',
  cancelled: 'tag--yellow',
  failed: 'tag--red',
};

function JobStatusTag({ job }: { job: BatchJob }) {
  const { t } = useTranslation();
  return <strong className={`tag ${STATUS_COLOUR[job.status]}`}>{t(`jobs.status.${job.status}`)}</strong>;
}

export function JobsPage() {
  return (
    <RequireSession>
      <Jobs />
    </RequireSession>
  );
}

function Jobs() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [jobs, setJobs] = useState<BatchJob[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useDocumentTitle(t('jobs.title'), error !== null);
  useEffect(() => {
    let current = true;
    api.jobs().then(
      (page) => {
        if (!current) return;
        setJobs(page.items);
        setNext(page.next);
      },
      (failure: unknown) => current && setError(asError(failure)),
    );
    return () => {
      current = false;
    };
  }, []);
  const more = async () => {
    try {
      const page = await api.jobs(next);
      setJobs((current) => [...(current ?? []), ...page.items]);
      setNext(page.next);
    } catch (failure) {
      setError(asError(failure));
    }
  };
  if (error) return <LoadFailed error={error} title={t('jobs.title')} />;
  return (
    <>
      <div className="page-header">
        <PageHeading>{t('jobs.title')}</PageHeading>
        <Link to="/bulk/upload" className="button button--primary">
          {t('bulk.uploadLink')}
        </Link>
      </div>
      <p className="body">{t('jobs.lead')}</p>
      {jobs === null ? (
        <Loading />
      ) : jobs.length === 0 ? (
        <p className="body">{t('jobs.empty')}</p>
      ) : (
        <table className="table table--responsive" data-testid="jobs">
          <caption className="table__caption visually-hidden">{t('jobs.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('jobs.what')}</th>
              <th scope="col">{t('jobs.created')}</th>
              <th scope="col">{t('jobs.statusHeading')}</th>
              <th scope="col">{t('jobs.result')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id}>
                <th scope="row" data-label={t('jobs.what')}>
                  <Link to={`/jobs/${job.id}`}>{jobTitle(t, job)}</Link>
                  {job.onBehalfOf ? (
                    <span className="table__note">
                      {t('jobs.forParty', {
                        party: t(`party.${job.onBehalfOf.kind}WithId`, { id: formatIdentifier(job.onBehalfOf.kind, job.onBehalfOf.id) }),
                      })}
                    </span>
                  ) : null}
                </th>
                <td data-label={t('jobs.created')}>{formatInstant(job.createdAt, language)}</td>
                <td data-label={t('jobs.statusHeading')}>
                  <JobStatusTag job={job} />
                </td>
                <td data-label={t('jobs.result')}>{t('jobs.counts', { done: job.done, refused: job.refused, total: job.total })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <Button type="button" variant="secondary" onClick={() => void more()}>
          {t('jobs.more')}
        </Button>
      ) : null}
    </>
  );
}

export function JobPage() {
  const { id = '' } = useParams();
  return (
    <RequireSession>
      <Job id={id} />
    </RequireSession>
  );
}

const POLL_MS = 1000;

function Job({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { announce } = useAppState();
  const [result, setResult] = useState<JobResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [refusedOnly, setRefusedOnly] = useState(false);
  const wasRunning = useRef<boolean | null>(null);
  const title = result ? jobTitle(t, result.job) : t('jobs.jobCaption');
  useDocumentTitle(title, error !== null);

  const load = useCallback(
    () => api.job(id, language, refusedOnly ? { status: 'refused' } : {}).then(setResult, (failure: unknown) => setError(asError(failure))),
    [id, language, refusedOnly],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // Poll while the job runs; stop when it has ended (or the page is left).
  const running = result ? isJobRunning(result.job) : false;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, load]);

  // Say once when a job that was running has ended.
  useEffect(() => {
    if (!result) return;
    if (wasRunning.current === true && !running) {
      announce(t('jobs.finished', { done: result.job.done, refused: result.job.refused, skipped: result.job.skipped }));
    }
    wasRunning.current = running;
  }, [result, running, announce, t]);

  const cancel = async () => {
    setActionError(null);
    try {
      await api.cancelJob(id);
      await load();
    } catch (failure) {
      setActionError(t(errorMessageKey(asError(failure).code)));
    }
  };

  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    // The report's messages follow the language of the page, not the browser's: fetch it with ours.
    event.preventDefault();
    setActionError(null);
    try {
      const blob = await api.jobReport(id, language);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `ssm-job-${id}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
      announce(t('jobs.reportDownloaded'));
    } catch (failure) {
      setActionError(t(errorMessageKey(asError(failure).code)));
    }
  };

  if (error) {
    return error.code === 'BATCH_NOT_FOUND' ? (
      <>
        <BackLink to="/jobs">{t('jobs.back')}</BackLink>
        <PageHeading>{t('jobs.jobCaption')}</PageHeading>
        <p className="body">{t('errors.BATCH_NOT_FOUND')}</p>
      </>
    ) : (
      <LoadFailed error={error} title={t('jobs.jobCaption')} />
    );
  }
  if (!result) return <Loading />;
  const { job, items } = result;
  const percent = jobPercent(job);

  return (
    <>
      <BackLink to="/jobs">{t('jobs.back')}</BackLink>
      <PageHeading caption={t('jobs.jobCaption')}>{title}</PageHeading>
      <p className="body-l">
        <JobStatusTag job={job} /> <span>{t(`jobs.statusText.${job.status}`)}</span>
      </p>
      {actionError ? (
        <div className="error-summary" role="alert">
          <h2 className="error-summary__title">{t('errors.summaryTitle')}</h2>
          <p className="body">{actionError}</p>
        </div>
      ) : null}

      <section className="section" aria-labelledby="progress-heading">
        <h2 className="heading-m" id="progress-heading">
          {t('jobs.progressHeading')}
        </h2>
        <label className="label" htmlFor="job-progress">
          {t('jobs.progressLabel')}
        </label>
        <progress id="job-progress" className="progress" max={Math.max(job.total, 1)} value={job.total === 0 ? 1 : job.processed}>
          {t('jobs.percent', { percent })}
        </progress>
        <p className="body" data-testid="job-progress-text">
          {t('jobs.progressText', { processed: job.processed, total: job.total, percent })}
        </p>
        <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="job-progress-live">
          {running ? t('jobs.progressLive', { percent: announcedPercent(percent) }) : t(`jobs.statusText.${job.status}`)}
        </p>
        {running ? (
          <Button type="button" variant="warning" onClick={() => void cancel()}>
            {t('jobs.cancel')}
          </Button>
        ) : null}
      </section>

      <section className="section" aria-labelledby="outcome-heading">
        <h2 className="heading-m" id="outcome-heading">
          {t('jobs.outcomeHeading')}
        </h2>
        <SummaryList
          id="job-counts"
          rows={[
            { key: t('jobs.total'), value: String(job.total) },
            { key: t('jobs.done'), value: String(job.done) },
            { key: t('jobs.refused'), value: String(job.refused) },
            { key: t('jobs.skipped'), value: String(job.skipped) },
            { key: t('jobs.created'), value: formatInstant(job.createdAt, language) },
            ...(job.finishedAt ? [{ key: t('jobs.finishedAt'), value: formatInstant(job.finishedAt, language) }] : []),
          ]}
        />
        {job.error ? <p className="body">{t('common.labelValue', { label: t('jobs.errorLabel'), value: job.error })}</p> : null}
        <p className="body">
          <a href={jobReportUrl(id)} download={`ssm-job-${id}.csv`} onClick={(event) => void download(event)} data-testid="report-link">
            {t('jobs.report')}
          </a>
        </p>
      </section>

      <section className="section" aria-labelledby="items-heading">
        <h2 className="heading-m" id="items-heading">
          {t('jobs.itemsHeading')}
        </h2>
        <div className="checkbox">
          <input
            className="checkbox__input"
            type="checkbox"
            id="refused-only"
            checked={refusedOnly}
            onChange={(event) => setRefusedOnly(event.target.checked)}
          />
          <label className="checkbox__label" htmlFor="refused-only">
            {t('jobs.refusedOnly')}
          </label>
        </div>
        {items.length === 0 ? <p className="body">{t('jobs.noItems')}</p> : <ItemsTable items={items} />}
        {result.next ? <p className="body">{t('jobs.moreInReport')}</p> : null}
      </section>
    </>
  );
}

function ItemsTable({ items }: { items: BatchItem[] }) {
  const { t } = useTranslation();
  const ITEM_COLOUR: Record<BatchItem['status'], string> = {
    pending: 'tag--grey',
    done: 'tag--green',
    refused: 'tag--red',
    skipped: 'tag--yellow',
  };
  return (
    <table className="table table--responsive" data-testid="job-items">
      <caption className="table__caption visually-hidden">{t('jobs.itemsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('jobs.item')}</th>
          <th scope="col">{t('jobs.operation')}</th>
          <th scope="col">{t('jobs.mandate')}</th>
          <th scope="col">{t('jobs.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const mandate = item.mandateId ?? item.id;
          const name = item.row !== null ? t('jobs.row', { row: item.row }) : t('jobs.itemNumber', { n: item.index + 1 });
          return (
            <tr key={item.index} className={item.status === 'refused' ? 'table__row--error' : undefined}>
              <th scope="row" data-label={t('jobs.item')} className="table__nowrap">
                {name}
              </th>
              <td data-label={t('jobs.operation')}>{t(`jobs.ops.${opKey(item.op)}`)}</td>
              <td data-label={t('jobs.mandate')}>
                {mandate ? (
                  <Link to={`/mandates/${mandate}`}>
                    {t('jobs.viewMandate')}
                    <span className="visually-hidden"> ({name})</span>
                  </Link>
                ) : (
                  t('common.none')
                )}
              </td>
              <td data-label={t('jobs.outcome')}>
                <strong className={`tag ${ITEM_COLOUR[item.status]}`}>{t(`jobs.itemStatus.${item.status}`)}</strong>
                {item.message ? <span className="table__note">{withColumn(t, item.column, item.message)}</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "Column “mandatee”: the reason", or the reason alone, starting with a capital. */
export function withColumn(t: T, column: string | null, message: string): string {
  const text = column ? `${t('bulk.upload.columnNamed', { column })}: ${message}` : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const OPS = ['create', 'sign', 'refuse', 'withdraw', 'stop', 'amend', 'transfer'];
const opKey = (op: string) => (OPS.includes(op) ? op : 'other');
