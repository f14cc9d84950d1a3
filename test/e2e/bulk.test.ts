// Bulk in the browser: select two proposals on the dashboard and sign them all; upload a CSV file, see
// the bad row highlighted in the dry-run preview, confirm, follow the job's progress, download the report.
// Every job runs in the background here (SSM_BATCH_INLINE_MAX=0), as large ones do.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnterpriseNumber } from '../../src/core/party.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import {
  AN,
  CAMILLE,
  countersign,
  expectAccessible,
  expectHeading,
  expectTranslated,
  JOZEF,
  LENA,
  launchBrowser,
  MARIE,
  newContext,
  person,
  poll,
  prepareWeb,
  propose,
  screenshot,
  signIn,
  watchCsp,
} from './support.js';

const TAX = 'finance.personal-income-tax';
const CLAES = makeEnterpriseNumber('04031707'); // 0403.170.701

describe('bulk in the browser', { timeout: 60_000 }, () => {
  let server: StartedServer;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await prepareWeb();
    server = await startServer({ env: { SSM_BATCH_INLINE_MAX: '0' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(cspViolations).toEqual([]);
  });

  const pageFor = async (nationalNumber: string, returnTo = '/mandates'): Promise<Page> => {
    // axe-core is injected as an inline script, so these pages bypass the CSP; the others enforce it.
    const context = await newContext(browser, { forAxe: true });
    const page = await context.newPage();
    const seen = watchCsp(page);
    page.on('close', () => cspViolations.push(...seen));
    await signIn(page, server.url, nationalNumber, returnTo);
    return page;
  };

  /** Waits on the job page until the job has ended, checking the progress bar on the way. */
  const followJob = async (page: Page) => {
    await expectHeading(page, /./);
    await page.locator('#job-progress').waitFor();
    expect(await page.getByLabel('Share of the items processed').evaluate((e) => e.tagName)).toBe('PROGRESS');
    await poll(() => page.locator('main .tag').first().innerText()).toBe('Finished');
    const bar = page.locator('#job-progress');
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    await poll(() => page.getByTestId('job-progress-live').innerText()).toBe('The job has ended. Each item has its outcome below.');
    expect(await page.getByTestId('job-progress-live').getAttribute('aria-live')).toBe('polite');
  };

  it('selects two proposals on the dashboard and signs them all at once', async () => {
    for (const from of [JOZEF, CAMILLE]) {
      await propose(server.app, { person: from }, { type: TAX, mandator: person(from), mandatee: person(AN), reference: `from ${from}` });
    }
    const an = await pageFor(AN);
    await expectHeading(an, 'Your mandates');
    const waiting = an.locator('[data-section="waitingMine"]');
    await poll(() => waiting.locator('.mandate-card').count()).toBe(2);
    // Each checkbox is named after its mandate; "select all" after its section.
    const boxes = waiting.getByRole('checkbox', { name: /^Select Personal income tax \(Tax-on-web\), other party Person \d/ });
    expect(await boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await poll(() => an.getByTestId('selected-count').innerText()).toBe('1 mandate selected');
    await boxes.nth(1).check();
    await poll(() => an.getByTestId('selected-count').innerText()).toBe('2 mandates selected');
    expect(
      await waiting.getByRole('checkbox', { name: 'Select all in this section (section “Waiting for your signature”)' }).isChecked(),
    ).toBe(true);
    await expectAccessible(an, 'dashboard with a selection');
    await screenshot(an, 'bulk-dashboard-selection');
    await an.getByRole('button', { name: 'Sign all 2 selected' }).click();

    await expectHeading(an, 'Check before you confirm');
    await poll(() => an.getByTestId('bulk-selection').locator('tbody tr').count()).toBe(2);
    await expectAccessible(an, 'bulk sign check');
    await an.getByRole('button', { name: 'Sign all 2' }).click();

    await expectHeading(an, 'Signing of selected mandates');
    await followJob(an);
    await poll(() => an.locator('#job-counts').innerText()).toMatch(/Items\s+2\s+Done\s+2\s+Refused\s+0/);
    await expectTranslated(an, 'bulk sign job');
    await an.getByRole('link', { name: 'My mandates' }).first().click();
    await expectHeading(an, 'Your mandates');
    await poll(() => an.locator('[data-section="active"] .mandate-card').count()).toBe(2);
    await poll(() => an.locator('[data-section="waitingMine"] .mandate-card').count()).toBe(0);
    await an.context().close();
  });

  it('an accountant transfers all selected to an enterprise, then stops them all with a reason', async () => {
    // Lena holds two mandates here, from two clients: her whole "active" section.
    for (const client of [MARIE, CAMILLE]) {
      const id = await propose(
        server.app,
        { person: client },
        { type: TAX, mandator: person(client), mandatee: person(LENA), reference: `client ${client}` },
      );
      await countersign(server.app, id, { person: LENA });
    }
    const lena = await pageFor(LENA);
    await expectHeading(lena, 'Your mandates');
    const active = lena.locator('[data-section="active"]');
    await poll(() => active.locator('.mandate-card').count()).toBe(2);
    await active.getByRole('checkbox', { name: /^Select all in this section/ }).check();
    await lena.getByRole('button', { name: 'Transfer all 2 selected' }).click();
    await expectHeading(lena, 'Who is the new mandatee?');
    await lena.getByRole('button', { name: 'Continue' }).click();
    await lena.locator('.error-summary a[href="#new-kind"]').waitFor();
    await lena.getByLabel('An enterprise').check();
    await lena.getByLabel('Enterprise number').fill(CLAES);
    await lena.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(lena, 'Check before you confirm');
    await poll(() => lena.locator('#answers').innerText()).toMatch(/New mandatee\s+Enterprise 0403\.170\.701/);
    await lena.getByRole('button', { name: 'Propose the 2 transfers' }).click();
    await expectHeading(lena, 'Several operations');
    await followJob(lena);
    await poll(() => lena.locator('#job-counts').innerText()).toMatch(/Items\s+2\s+Done\s+2/);

    await lena.getByRole('link', { name: 'My mandates' }).first().click();
    const transferring = lena.locator('[data-section="transfer"]');
    await poll(() => transferring.locator('.mandate-card').count()).toBe(2);
    await transferring.getByRole('checkbox', { name: /^Select all in this section/ }).check();
    await lena.getByRole('button', { name: 'Stop all 2 selected' }).click();
    await expectHeading(lena, 'Why do you stop them?');
    await lena.getByLabel('Why do you stop it? (optional)').fill('Moved to the office');
    await lena.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(lena, 'Check before you confirm');
    await lena.getByRole('button', { name: 'Stop all 2' }).click();
    await expectHeading(lena, 'Stopping of selected mandates');
    await followJob(lena);
    await poll(() => lena.locator('#job-counts').innerText()).toMatch(/Items\s+2\s+Done\s+2/);
    await lena.getByRole('link', { name: 'My mandates' }).first().click();
    await poll(() => lena.locator('[data-section="ended"] .mandate-card').count()).toBe(2);
    await lena.context().close();
  });

  it('uploads a CSV file, shows the bad row in the preview, imports the rest and gives the report', async () => {
    const csv = [
      'operation;type;mandator;mandatee;validFrom;validUntil;reference;language',
      `create;${TAX};;${LENA};;;client L;de`,
      `create;${TAX};;${MARIE};;;client M;nl`,
      `create;${TAX};;85.07.30-033.29;;;client X;nl`,
    ].join('\r\n');
    const an = await pageFor(AN, '/jobs');
    await expectHeading(an, 'Bulk jobs');
    await an.getByRole('link', { name: 'Upload a CSV file' }).click();
    await expectHeading(an, 'Upload a CSV file');
    await an.getByRole('button', { name: 'Check the file' }).click();
    await poll(() => an.locator('.error-summary').innerText()).toMatch('Choose a CSV file');

    await an.getByLabel('CSV file').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await an.getByRole('button', { name: 'Check the file' }).click();
    await poll(() => an.getByTestId('preview-summary').innerText()).toBe('3 rows: 2 can be imported, 1 has a problem.');
    // The bad row is marked, with its column and the reason, and the summary on top links to it.
    const bad = an.locator('#row-4');
    expect(await bad.getAttribute('class')).toMatch('table__row--error');
    await poll(() => bad.locator('.cells__cell--error').innerText()).toMatch(/mandatee\s*:?\s*85\.07\.30-033\.29/);
    await poll(() => bad.locator('.error-message').innerText()).toMatch(/Column “mandatee”: The check digits of this number do not match/);
    expect(await an.locator('#row-2').getAttribute('class')).toBeNull();
    await an.locator('.error-summary a[href="#row-4"]').click();
    await poll(() => an.evaluate('document.activeElement?.id')).toBe('row-4');
    await expectTranslated(an, 'csv preview');
    await expectAccessible(an, 'csv preview with a bad row');
    await screenshot(an, 'bulk-csv-preview');

    await an.getByRole('button', { name: 'Import 2 rows' }).click();
    await expectHeading(an, 'Import of clients.csv');
    await followJob(an);
    await poll(() => an.locator('#job-counts').innerText()).toMatch(/Items\s+3\s+Done\s+2\s+Refused\s+1/);
    await poll(() => an.getByTestId('job-items').locator('tr.table__row--error').innerText()).toMatch(/Row 4[\s\S]*Refused/);
    await expectAccessible(an, 'csv job');
    await screenshot(an, 'bulk-csv-job');

    const [download] = await Promise.all([
      an.waitForEvent('download'),
      an.getByRole('link', { name: 'Download the report (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ssm-job-[0-9a-f-]+\.csv$/);
    const report = readFileSync((await download.path()) as string, 'utf8');
    expect(report.split(/\r?\n/).filter(Boolean)).toHaveLength(4);

    await an.getByRole('link', { name: 'Back to the bulk jobs' }).click();
    await expectHeading(an, 'Bulk jobs');
    await poll(() => an.getByTestId('jobs').innerText()).toMatch(/Import of clients\.csv[\s\S]*Finished[\s\S]*2 done, 1 refused, of 3/);
    await expectAccessible(an, 'jobs list');
    await an.context().close();
  });
});
