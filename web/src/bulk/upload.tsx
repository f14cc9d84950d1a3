// Importing a CSV file: choose it, the service checks every row without writing anything (a dry run),
// the rows with problems are shown highlighted with the column at fault and the reason; fix the file
// and check it again, or confirm: the import then runs as a bulk job (its page shows the progress).
import { type FormEvent, type RefObject, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAppState, useLanguage } from '../app-state.js';
import { BackLink, WarningText } from '../components/display.js';
import { Button, ErrorMessage, ErrorSummary, errorFor, type FieldError, PageHeading } from '../components/forms.js';
import { RequireSession, useDocumentTitle } from '../components/page.js';
import { ApiError, api, jobOf } from '../lib/api.js';
import { newIdempotencyKey } from '../lib/bulk.js';
import { type ParsedCsv, parseCsv, previewRows, type RowProblem } from '../lib/csv.js';
import { errorMessageKey } from '../lib/errors.js';
import type { DryRun } from '../lib/types.js';
import { withColumn } from './jobs.js';

export function UploadPage() {
  return (
    <RequireSession>
      <Upload />
    </RequireSession>
  );
}

/** Files larger than this are checked by the service but not shown back row by row. */
const PREVIEW_MAX_BYTES = 5 * 1024 * 1024;

const TEMPLATE = [
  'operation;type;mandator;mandatee;validFrom;validUntil;reference;language;id;reason',
  'create;finance.personal-income-tax;85.07.30-033.28;;2027-01-01;2027-12-31;file 2027-001;nl;;',
  'sign;;;;;;;;01234567-89ab-7cde-8f01-23456789abcd;',
].join('\r\n');
const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${TEMPLATE}\r\n`)}`;

interface Checked {
  file: File;
  report: DryRun;
  parsed: ParsedCsv | null;
  /** One key per checked file: confirming twice makes one job. */
  key: string;
}

function Upload() {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigate = useNavigate();
  const { actingEnterprise, announce } = useAppState();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [busy, setBusy] = useState(false);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const problems = checked?.report.items ?? [];
  useDocumentTitle(t('bulk.upload.title'), errors.length > 0 || problems.length > 0);

  const fail = (failure: unknown, field: string) => {
    const problem = failure instanceof ApiError ? failure : new ApiError(0, 'UNKNOWN', String(failure));
    const line = typeof problem.details?.line === 'number' ? ` ${t('bulk.upload.nearLine', { line: problem.details.line })}` : '';
    const column =
      problem.code === 'CSV_HEADER' && typeof problem.details?.column === 'string'
        ? ` ${t('bulk.upload.columnNamed', { column: problem.details.column })}`
        : '';
    setErrors([{ field, message: `${t(errorMessageKey(problem.code))}${column}${line}` }]);
  };

  const check = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setChecked(null);
    if (!file) {
      setErrors([{ field: 'csv-file', message: t('bulk.upload.fileRequired') }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    announce(t('bulk.upload.checking'));
    try {
      const answer = await api.uploadCsv(file, { dryRun: true, fileName: file.name, onBehalfOf: actingEnterprise, language });
      if (!('dryRun' in answer)) throw new ApiError(0, 'UNEXPECTED_RESPONSE', 'Not a dry run.');
      const parsed = file.size <= PREVIEW_MAX_BYTES ? parseCsv(await file.text()) : null;
      setChecked({ file, report: answer, parsed, key: newIdempotencyKey() });
      announce(
        answer.refused > 0
          ? t('bulk.upload.checkedProblems', { count: answer.refused })
          : t('bulk.upload.checkedOk', { count: answer.total }),
      );
      if (answer.refused === 0) window.setTimeout(() => previewHeading.current?.focus(), 0);
    } catch (failure) {
      fail(failure, 'csv-file');
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !checked) return;
    setBusy(true);
    announce(t('common.loading'));
    try {
      const answer = await api.uploadCsv(checked.file, {
        dryRun: false,
        fileName: checked.file.name,
        onBehalfOf: actingEnterprise,
        language,
        idempotencyKey: checked.key,
      });
      if ('dryRun' in answer) throw new ApiError(0, 'UNEXPECTED_RESPONSE', 'A dry run.');
      navigate(`/jobs/${jobOf(answer).id}`);
    } catch (failure) {
      setBusy(false);
      fail(failure, 'confirm-import');
    }
  };

  const rowProblems: RowProblem[] = problems.map((p) => ({
    row: p.row ?? 0,
    column: p.column,
    message: p.message ?? t(errorMessageKey(p.code ?? 'UNKNOWN')),
  }));
  // The summary on top links to each row with a problem (the rows can take the focus).
  const summary: FieldError[] = [
    ...errors,
    ...rowProblems.map((p) => ({
      field: `row-${p.row}`,
      message: `${t('jobs.row', { row: p.row })}${p.column ? `, ${t('bulk.upload.columnNamed', { column: p.column })}` : ''}: ${p.message}`,
    })),
  ];

  return (
    <div>
      <BackLink to="/jobs">{t('jobs.back')}</BackLink>
      <ErrorSummary errors={summary} />
      <div className="grid-two-thirds">
        <PageHeading caption={t('bulk.caption')}>{t('bulk.upload.title')}</PageHeading>
        <p className="body">{t('bulk.upload.lead')}</p>
        <details className="details">
          <summary className="details__summary">{t('bulk.upload.columnsSummary')}</summary>
          <div className="details__text">
            <p className="body">{t('bulk.upload.columnsIntro')}</p>
            <ul className="list list--bullet">
              <li>{t('bulk.upload.colOperation')}</li>
              <li>{t('bulk.upload.colType')}</li>
              <li>{t('bulk.upload.colParties')}</li>
              <li>{t('bulk.upload.colDates')}</li>
              <li>{t('bulk.upload.colOther')}</li>
              <li>{t('bulk.upload.colId')}</li>
            </ul>
            <p className="body">
              <a href={TEMPLATE_HREF} download="ssm-import-example.csv">
                {t('bulk.upload.template')}
              </a>
            </p>
          </div>
        </details>
        <form onSubmit={check} noValidate>
          <div className={`form-group${errorFor(errors, 'csv-file') ? ' form-group--error' : ''}`}>
            <label className="label" htmlFor="csv-file">
              {t('bulk.upload.fileLabel')}
            </label>
            <div id="csv-file-hint" className="hint">
              {t('bulk.upload.fileHint')}
            </div>
            <ErrorMessage id="csv-file-error" message={errorFor(errors, 'csv-file')} />
            <input
              ref={input}
              id="csv-file"
              name="csv-file"
              type="file"
              className={`file-upload${errorFor(errors, 'csv-file') ? ' input--error' : ''}`}
              accept=".csv,text/csv"
              aria-describedby={`csv-file-hint${errorFor(errors, 'csv-file') ? ' csv-file-error' : ''}`}
              aria-invalid={errorFor(errors, 'csv-file') ? true : undefined}
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setChecked(null);
                setErrors([]);
              }}
            />
          </div>
          <Button variant={checked ? 'secondary' : 'primary'} disabled={busy}>
            {checked ? t('bulk.upload.checkAgain') : t('bulk.upload.check')}
          </Button>
        </form>
      </div>
      {checked ? (
        <Preview
          checked={checked}
          problems={rowProblems}
          busy={busy}
          onConfirm={confirm}
          onFix={() => input.current?.focus()}
          headingRef={previewHeading}
        />
      ) : null}
    </div>
  );
}

function Preview({
  checked,
  problems,
  busy,
  onConfirm,
  onFix,
  headingRef,
}: {
  checked: Checked;
  problems: RowProblem[];
  busy: boolean;
  onConfirm(event: FormEvent): void;
  onFix(): void;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useTranslation();
  const { report, parsed } = checked;
  const shown = parsed ? previewRows(parsed, problems) : null;
  return (
    <section className="section" aria-labelledby="preview-heading" data-testid="csv-preview">
      <h2 className="heading-l" id="preview-heading" ref={headingRef} tabIndex={-1}>
        {t('bulk.upload.previewHeading', { file: checked.file.name })}
      </h2>
      <p className="body-l" data-testid="preview-summary">
        {t('bulk.upload.summary', { count: report.total })} {t('bulk.upload.wouldApply', { count: report.wouldApply })}{' '}
        {report.refused > 0 ? t('bulk.upload.refusedCount', { count: report.refused }) : t('bulk.upload.noProblems')}
      </p>
      {report.truncated ? <p className="body">{t('bulk.upload.truncated', { count: report.items.length })}</p> : null}
      {shown ? (
        <>
          {shown.onlyProblems ? <p className="body">{t('bulk.upload.onlyProblems')}</p> : null}
          {shown.rows.length > 0 ? (
            <table className="table table--responsive preview-table" data-testid="preview-rows">
              <caption className="table__caption">{t('bulk.upload.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('bulk.upload.row')}</th>
                  <th scope="col">{t('bulk.upload.content')}</th>
                  <th scope="col">{t('bulk.upload.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.rows.map((row) => {
                  const bad = row.problems.length > 0;
                  return (
                    <tr
                      key={row.row}
                      id={`row-${row.row}`}
                      tabIndex={bad ? -1 : undefined}
                      className={bad ? 'table__row--error' : undefined}
                    >
                      <th scope="row" data-label={t('bulk.upload.row')}>
                        {row.row}
                      </th>
                      <td data-label={t('bulk.upload.content')}>
                        <dl className="cells">
                          {parsed?.header.map((column, index) =>
                            row.cells[index] ? (
                              <div key={column} className={row.badCells.includes(index) ? 'cells__cell cells__cell--error' : 'cells__cell'}>
                                <dt>{column}</dt>
                                <dd>{row.cells[index]}</dd>
                              </div>
                            ) : null,
                          )}
                        </dl>
                      </td>
                      <td data-label={t('bulk.upload.verdict')}>
                        {bad ? (
                          row.problems.map((p) => (
                            <p key={`${p.column}:${p.message}`} className="error-message">
                              <span className="visually-hidden">{t('common.errorPrefix')} </span>
                              {withColumn(t, p.column, p.message)}
                            </p>
                          ))
                        ) : (
                          <span className="tag tag--green">{t('bulk.upload.rowOk')}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
          {shown.orphans.length > 0 ? (
            <ul className="list">
              {shown.orphans.map((p) => (
                <li key={`${p.row}:${p.message}`} className="error-message">
                  {t('jobs.row', { row: p.row })}: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      <div className="grid-two-thirds">
        {report.refused > 0 ? (
          <p className="body">
            {t('bulk.upload.fixHint')}{' '}
            <button type="button" className="link-button" onClick={onFix}>
              {t('bulk.upload.chooseAgain')}
            </button>
          </p>
        ) : null}
        {report.wouldApply > 0 ? (
          <form onSubmit={onConfirm} noValidate>
            {report.refused > 0 ? <WarningText>{t('bulk.upload.partialWarning', { count: report.refused })}</WarningText> : null}
            <Button id="confirm-import" disabled={busy}>
              {t('bulk.upload.confirm', { count: report.wouldApply })}
            </Button>
          </form>
        ) : (
          <p className="body">{t('bulk.upload.nothingToImport')}</p>
        )}
      </div>
    </section>
  );
}
