// Every main screen in each of the four languages: no untranslated text, no serious or critical
// axe-core violation (error states included), no sideways scrolling at 320 px, and a screenshot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, brusselsDay } from '../../src/core/dates.js';
import { makeNationalNumber } from '../../src/core/party.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import {
  AN,
  countersign,
  expectAccessible,
  expectNoHorizontalScroll,
  expectNoInlineStyles,
  expectTranslated,
  focused,
  heading,
  JOZEF,
  launchBrowser,
  newContext,
  person,
  poll,
  prepareWeb,
  propose,
  screenshot,
  signIn,
} from './support.js';

const LANGUAGES = [
  { language: 'nl', locale: 'nl-BE', dashboard: 'Uw mandaten' },
  { language: 'fr', locale: 'fr-BE', dashboard: 'Vos mandats' },
  { language: 'de', locale: 'de-BE', dashboard: 'Ihre Mandate' },
  { language: 'en', locale: 'en-GB', dashboard: 'Your mandates' },
] as const;

/** A different other party per language, so each language's proposal is new. */
const OTHERS = ['400101', '400202', '400303', '400404'].map((birth, i) => makeNationalNumber(birth, 100 + i));

describe('every screen in every language', { timeout: 120_000 }, () => {
  let server: StartedServer;
  let browser: Browser;
  const ids = { waiting: '', active: '', stopped: '', renewable: '' };

  beforeAll(async () => {
    await prepareWeb();
    // One person walks every screen four times (once per language) within about a minute: more than
    // the self-service limit of 300 requests a minute allows on a fast machine, and a 429 is not what
    // this test is about (the rate limit has tests of its own).
    server = await startServer({ env: { SSM_RATE_LIMIT: '100000' } });
    browser = await launchBrowser();
    // An sees one mandate in each dashboard section she can have.
    ids.waiting = await propose(
      server.app,
      { person: JOZEF },
      { type: 'finance.myminfin', mandator: person(JOZEF), mandatee: person(AN), reference: 'Jozef' },
    );
    ids.active = await propose(
      server.app,
      { person: AN },
      { type: 'flanders.service-vouchers', mandator: person(AN), mandatee: person(JOZEF), validUntil: '2027-06-30' },
    );
    await countersign(server.app, ids.active, { person: JOZEF });
    ids.stopped = await propose(
      server.app,
      { person: AN },
      { type: 'ehealth.consent-management', mandator: person(AN), mandatee: person(JOZEF) },
    );
    // One that ends within the renewal window (its signature also puts a message in An's inbox).
    ids.renewable = await propose(
      server.app,
      { person: AN },
      {
        type: 'finance.personal-income-tax',
        mandator: person(AN),
        mandatee: person(JOZEF),
        validUntil: addDays(brusselsDay(server.app.now()), 30),
      },
    );
    await countersign(server.app, ids.renewable, { person: JOZEF });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The checks every screen gets, in its language. */
  const audit = async (page: Page, language: string, screen: string) => {
    await page.locator('main [role="status"]').waitFor({ state: 'detached' });
    await expectTranslated(page, `${language} ${screen}`);
    await expectNoInlineStyles(page, `${language} ${screen}`);
    await expectAccessible(page, `${language} ${screen}`);
    await screenshot(page, `${language}-${screen}`);
  };

  const submit = (page: Page) => page.locator('main form button[type="submit"]').last().click();
  const waitForHeadingChange = async (page: Page, from: string) => poll(() => heading(page)).not.toBe(from);

  /** Submits the current question and waits for the next one. */
  const next = async (page: Page) => {
    const before = await heading(page);
    await submit(page);
    await waitForHeadingChange(page, before);
  };

  /** Submits with a problem and checks the error summary appears, takes the focus and links to the field. */
  const expectErrorSummary = async (page: Page, field: string) => {
    await submit(page);
    await page.locator('.error-summary').waitFor();
    await poll(() => focused(page)).toMatch(/^div/);
    expect(await page.locator(`.error-summary a[href="#${field}"]`).count()).toBe(1);
    expect(await page.title()).toMatch(/^(Fout|Erreur|Fehler|Error) ?:/);
  };

  for (const [index, { language, locale, dashboard }] of LANGUAGES.entries()) {
    it(`${language}: start, dashboard, create wizard (with errors), detail, actions, statement`, async () => {
      const context = await newContext(browser, { locale, forAxe: true });
      const page = await context.newPage();

      await page.goto(`${server.url}/`);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      await audit(page, language, '01-start');

      await signIn(page, server.url, AN);
      await poll(() => heading(page)).toBe(dashboard);
      await page.locator('[data-section="ended"]').waitFor();
      await audit(page, language, '02-dashboard');

      await page.fill('#search', 'no such thing');
      await submit(page);
      await poll(() => page.getByTestId('result-count').innerText()).toMatch(/^0 /);
      await audit(page, language, '03-dashboard-search-empty');

      // The create wizard, one question per page, with each error state.
      await page.goto(`${server.url}/mandates/new`);
      await page.locator('input[name="domain"]').first().waitFor();
      await audit(page, language, '04-wizard-domain');
      await expectErrorSummary(page, 'domain');
      await audit(page, language, '05-wizard-domain-error');
      await page.check('input[name="domain"][value="finance"]');
      await next(page);
      await audit(page, language, '06-wizard-type');
      await page.check('input[name="type"][value="finance.personal-income-tax"]');
      await next(page);
      await audit(page, language, '07-wizard-role');
      await page.check('input[name="role"][value="mandator"]');
      await next(page);
      await page.check('input[name="other-kind"][value="person"]');
      await page.fill('#other-id', '85.07.30-033.29');
      await audit(page, language, '08-wizard-party-typing-error');
      await expectErrorSummary(page, 'other-id');
      await audit(page, language, '09-wizard-party-error');
      // Following the summary's link puts the focus in the field.
      await page.locator('.error-summary a').first().click();
      await poll(() => focused(page)).toMatch(/^input#other-id/);
      await page.fill('#other-id', OTHERS[index]!);
      await next(page);
      await page.fill('#valid-from', '31');
      await page.fill('#valid-from-month', '2');
      await expectErrorSummary(page, 'valid-from');
      await audit(page, language, '10-wizard-validity-error');
      await page.fill('#valid-from', '');
      await page.fill('#valid-from-month', '');
      await page.fill('#valid-from-year', '');
      await page.check('input[name="duration"][value="until"]');
      await audit(page, language, '11-wizard-validity');
      // Today as the service counts days (Brussels), not the test machine's clock: between 23:00 and
      // midnight UTC the two differ and the machine's today is already in the past.
      const [year, month, day] = brusselsDay(server.app.now()).split('-').map(Number) as [number, number, number];
      await page.fill('#valid-from', String(day));
      await page.fill('#valid-from-month', String(month));
      await page.fill('#valid-from-year', String(year));
      await page.fill('#valid-until', '31');
      await page.fill('#valid-until-month', '12');
      await page.fill('#valid-until-year', String(year + 2));
      await next(page);
      await audit(page, language, '12-wizard-details');
      await page.fill('#reference', `screens ${language}`);
      await next(page);
      await audit(page, language, '13-wizard-check');
      await next(page);
      await page.locator('.panel').waitFor();
      await audit(page, language, '14-wizard-done');

      // The same proposal again: the server refuses it as a duplicate, in the reader's language.
      await page.goto(`${server.url}/mandates/new`);
      await page.check('input[name="domain"][value="finance"]');
      await next(page);
      await page.check('input[name="type"][value="finance.personal-income-tax"]');
      await next(page);
      await page.check('input[name="role"][value="mandator"]');
      await next(page);
      await page.check('input[name="other-kind"][value="person"]');
      await page.fill('#other-id', OTHERS[index]!);
      await next(page);
      await page.check('input[name="duration"][value="unlimited"]');
      await next(page);
      await next(page);
      await submit(page);
      await page.locator('.error-summary').waitFor();
      await poll(() => focused(page)).toMatch(/^div/);
      expect(await page.locator('.error-summary a[href="#change-type"]').count()).toBe(1);
      await audit(page, language, '14b-wizard-check-duplicate-error');

      await page.goto(`${server.url}/mandates/${ids.waiting}`);
      await page.locator('.timeline').waitFor();
      await audit(page, language, '15-detail-waiting');
      await page.goto(`${server.url}/mandates/${ids.waiting}/sign`);
      await page.locator('main form button').waitFor();
      await audit(page, language, '16-sign-check');
      await page.goto(`${server.url}/mandates/${ids.active}`);
      await page.locator('.timeline').waitFor();
      await audit(page, language, '17-detail-active');
      await page.goto(`${server.url}/mandates/${ids.active}/amend`);
      await page.locator('#new-until').waitFor();
      await page.fill('#new-until', '31');
      await page.fill('#new-until-month', '3');
      await page.fill('#new-until-year', '2027');
      await audit(page, language, '18-amend-narrows');
      await page.goto(`${server.url}/mandates/${ids.active}/transfer`);
      await page.locator('#new-id').waitFor();
      await page.fill('#new-id', JOZEF);
      await expectErrorSummary(page, 'new-id');
      await audit(page, language, '19-transfer-error');
      await page.goto(`${server.url}/mandates/${ids.stopped}/withdraw`);
      await page.locator('main form button').waitFor();
      await audit(page, language, '20-withdraw-check');
      await page.goto(`${server.url}/mandates/00000000-0000-4000-8000-000000000000`);
      await page.locator('main h1').waitFor();
      await audit(page, language, '21-detail-not-found');
      await page.goto(`${server.url}/accessibility`);
      await audit(page, language, '22-accessibility-statement');
      expect(await page.locator('main').innerText()).toMatch('accessibility@ssm.example');
      await page.goto(`${server.url}/no/such/page`);
      await audit(page, language, '23-not-found');

      // Why can't I act: an error, then the answer about the proposal waiting for An's signature.
      await page.goto(`${server.url}/why`);
      await page.locator('input[name="mandator-kind"]').first().waitFor();
      await page.check('input[name="mandator-kind"][value="person"]');
      await page.fill('#mandator-id', AN);
      await expectErrorSummary(page, 'mandator-id');
      await audit(page, language, '24-why-error');
      await page.fill('#mandator-id', JOZEF);
      await page.selectOption('#type', 'finance.myminfin');
      await submit(page);
      await page.locator('[data-answer="WAITING_FOR_SIGNATURE"]').waitFor();
      await audit(page, language, '25-why-answer');

      await page.goto(`${server.url}/inbox`);
      await page.locator('.inbox-item').first().waitFor();
      await audit(page, language, '26-inbox');

      await page.goto(`${server.url}/contact`);
      await page.locator('#email').waitFor();
      await page.fill('#email', 'an.peeters@example.org');
      await page.click('#contact-submit');
      await page.locator('[data-testid="confirmation-pending"]').waitFor();
      // Without the "saved" message (a status region), as the page is when one comes back to it.
      await page.reload();
      await page.locator('[data-testid="confirmation-pending"]').waitFor();
      await audit(page, language, '27-contact-pending');

      await page.goto(`${server.url}/mandates/${ids.renewable}`);
      await page.locator('[data-testid="renewal-banner"]').waitFor();
      await audit(page, language, '28-detail-ends-soon');
      await page.goto(`${server.url}/mandates/${ids.renewable}/renew`);
      await page.locator('#renewal').waitFor();
      await audit(page, language, '29-renew-check');

      // Bulk: select a whole section and go to the check page (not confirmed: the proposal stays for the next language).
      await page.goto(`${server.url}/mandates`);
      await page.locator('#select-all-waitingMine').check();
      await page.locator('[data-testid="bulk-bar"] button').first().click();
      await page.locator('[data-testid="bulk-selection"]').waitFor();
      await audit(page, language, '30-bulk-sign-check');

      // A CSV file with one bad row: the preview, then the import as a job, then the list of jobs.
      await page.goto(`${server.url}/bulk/upload`);
      await page.setInputFiles('#csv-file', {
        name: `screens-${language}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(
          `type;mandatee;reference\r\nfinance.myminfin;${OTHERS[index]};csv ${language}\r\nfinance.myminfin;85.07.30-033.29;bad\r\n`,
        ),
      });
      await submit(page);
      await page.locator('[data-testid="csv-preview"] tr.table__row--error').waitFor();
      await audit(page, language, '31-upload-preview-error');
      await page.click('#confirm-import');
      await page.locator('#job-progress').waitFor();
      const bar = page.locator('#job-progress');
      await poll(async () => (await bar.getAttribute('value')) === (await bar.getAttribute('max'))).toBe(true);
      await page.locator('[data-testid="job-items"]').waitFor();
      await audit(page, language, '32-job');
      await page.goto(`${server.url}/jobs`);
      await page.locator('[data-testid="jobs"]').waitFor();
      await audit(page, language, '33-jobs');
      await context.close();
    });
  }

  it('reflows at 320 px (and 200% zoom of 1280 px) without sideways scrolling', async () => {
    for (const width of [320, 640]) {
      const context = await newContext(browser, { width });
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.locator('main h1').waitFor();
      await expectNoHorizontalScroll(page, `${width} start`);
      await signIn(page, server.url, AN);
      for (const path of [
        '/mandates',
        `/mandates/${ids.active}`,
        `/mandates/${ids.waiting}/sign`,
        '/mandates/new',
        '/accessibility',
        '/why',
        '/inbox',
        '/contact',
        '/jobs',
        '/bulk/upload',
        `/mandates/${ids.renewable}/renew`,
      ]) {
        await page.goto(`${server.url}${path}`);
        await page.locator('main h1').waitFor();
        await page.locator('main [role="status"]').waitFor({ state: 'detached' });
        await expectNoHorizontalScroll(page, `${width} ${path}`);
        if (width === 320) await screenshot(page, `320px${path.replace(/\//g, '-').replace(/-[0-9a-f-]{36}/, '-id')}`);
      }
      await context.close();
    }
  });

  it('the built page loads only external, same-origin scripts and styles', () => {
    const index = readFileSync(join(import.meta.dirname, '../../web/dist/index.html'), 'utf8');
    expect(index).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(index).toMatch(/<link rel="stylesheet" crossorigin href="\/assets\/index-[\w-]+\.css">/);
    // Every script has a src, and there is no inline style.
    expect(index.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    expect(index).not.toMatch(/<style|style=/);
  });

  it('the accessibility check does catch a violation (so a pass means something)', async () => {
    const context = await newContext(browser, { forAxe: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/accessibility`);
    await page.locator('main h1').waitFor();
    await page.evaluate(
      `document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled"><img src="/favicon.svg">')`,
    );
    await expect(expectAccessible(page, 'planted violation')).rejects.toThrow();
    await context.close();
  });

  it('switches language on request, remembers it, and updates <html lang>', async () => {
    const context = await newContext(browser, { locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/accessibility`);
    await poll(() => heading(page)).toBe('Accessibility statement');
    await page.getByRole('button', { name: 'Français' }).click();
    await poll(() => heading(page)).toBe('Déclaration d’accessibilité');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await poll(() => page.getByTestId('live-region').innerText()).toBe('La langue est maintenant le français.');
    await page.reload();
    await poll(() => heading(page)).toBe('Déclaration d’accessibilité');
    await context.close();
  });
});
