// The screens around the mandates in a real browser: "why can't I act?" (a pending proposal, and a
// mandate held by the enterprise one represents), the inbox after the other party signs, contact
// details waiting for confirmation, the PDF proof, and renewal on the same terms.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, brusselsDay } from '../../src/core/dates.js';
import { makeEnterpriseNumber } from '../../src/core/party.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import {
  AN,
  CAMILLE,
  countersign,
  enterprise,
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

const CLAES = makeEnterpriseNumber('04031707'); // 0403.170.701
const TAX = 'finance.personal-income-tax';
const TAX_LABEL = 'Personal income tax (Tax-on-web)';

describe('why, inbox, contact details, proof and renewal', { timeout: 60_000 }, () => {
  let server: StartedServer;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await prepareWeb();
    server = await startServer();
    await server.app.store.addRepresentatives([{ enterpriseId: CLAES, personId: MARIE, source: 'test' }]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(cspViolations).toEqual([]);
  });

  const pageFor = async (nationalNumber: string, returnTo = '/mandates', forAxe = false): Promise<Page> => {
    const context = await newContext(browser, { forAxe });
    const page = await context.newPage();
    if (!forAxe) {
      const seen = watchCsp(page);
      page.on('close', () => cspViolations.push(...seen));
    }
    await signIn(page, server.url, nationalNumber, returnTo);
    return page;
  };

  /** Fills the why form and waits for the answer. */
  const ask = async (page: Page, mandator: string, type: string) => {
    await page.getByLabel('A person').check();
    await page.getByLabel('National number').fill(mandator);
    await page.getByLabel('What do you want to do for them?').selectOption(type);
    await page.getByRole('button', { name: 'Find out' }).click();
  };

  it('why: a proposal waiting for the mandator says whom to ask; a mandate of my enterprise offers to act for it', async () => {
    await propose(server.app, { person: AN }, { type: TAX, mandator: person(JOZEF), mandatee: person(AN) });
    const held = await propose(server.app, { person: CAMILLE }, { type: TAX, mandator: person(CAMILLE), mandatee: enterprise(CLAES) });
    await countersign(server.app, held, { person: MARIE, as: enterprise(CLAES) });

    const an = await pageFor(AN, '/why', true);
    await expectHeading(an, 'Why can’t I act?');
    // The number is checked as it is typed, like everywhere else.
    await an.getByLabel('A person').check();
    await an.getByLabel('National number').fill('62.02.14');
    await poll(() => an.locator('#mandator-id-status').innerText()).toBe('6 of 11 digits');
    await ask(an, JOZEF, TAX);
    await poll(() => an.getByTestId('why-answer').innerText()).toMatch(/^Not yet\. A mandate for “Personal income tax/);
    await poll(() => an.getByTestId('why-next').innerText()).toMatch(/Ask person 62\.02\.14-151\.\d\d to sign it/);
    await poll(() => an.getByTestId('why-next').innerText()).toMatch(/If it is not signed by .* the proposal lapses\./);
    await expectTranslated(an, 'why pending');
    await expectAccessible(an, 'why pending');
    await screenshot(an, 'why-pending');
    // A mistake in the number is an error linked to the field.
    await an.getByLabel('National number').fill('62.02.14-151.00');
    await an.getByRole('button', { name: 'Find out' }).click();
    await an.locator('.error-summary a[href="#mandator-id"]').waitFor();
    await expectAccessible(an, 'why error');
    await an.context().close();

    const marie = await pageFor(MARIE, '/why');
    await expectHeading(marie, 'Why can’t I act?');
    await ask(marie, CAMILLE, TAX);
    await poll(() => marie.getByTestId('why-answer').innerText()).toBe(
      `Not as yourself. The mandate for “${TAX_LABEL}” is held by enterprise 0403.170.701, which you represent.`,
    );
    await marie.getByRole('button', { name: 'Act for enterprise 0403.170.701' }).click();
    await poll(() => marie.getByTestId('why-answer').innerText()).toMatch(/^Yes\. You may act for person 91\.04\.03-087\.\d\d/);
    await poll(() => marie.locator('.acting-banner').innerText()).toMatch('You are acting for enterprise 0403.170.701');
    await marie.context().close();
  });

  it('inbox: an unread message once the other party signs, marked read; contact details wait for confirmation', async () => {
    const id = await propose(server.app, { person: LENA }, { type: TAX, mandator: person(LENA), mandatee: person(CAMILLE) });
    await countersign(server.app, id, { person: CAMILLE });

    const lena = await pageFor(LENA, '/mandates', true);
    await expectHeading(lena, 'Your mandates');
    const inboxLink = lena.getByTestId('inbox-link');
    await poll(() => inboxLink.innerText()).toBe('Messages 1 unread');
    await inboxLink.click();
    await expectHeading(lena, 'Your messages');
    const item = lena.locator('.inbox-item').first();
    await poll(() => item.getAttribute('data-read')).toBe('false');
    await poll(() => item.innerText()).toMatch(/New[\s\S]*signed/i);
    await expectAccessible(lena, 'inbox unread');
    await screenshot(lena, 'inbox-unread');
    await item.getByRole('button', { name: /^Mark as read/ }).click();
    await poll(() => lena.getByTestId('unread-count').innerText()).toBe('You have read all your messages.');
    await poll(() => inboxLink.innerText()).toBe('Messages');
    await item.getByRole('link', { name: /^View the mandate/ }).click();
    await expectHeading(lena, TAX_LABEL);

    await lena.getByRole('link', { name: 'Contact details' }).first().click();
    await expectHeading(lena, 'Your contact details');
    await lena.getByLabel('E-mail address').fill('lena.schmitt@example.org');
    await lena.getByLabel('Deutsch').check();
    await lena.getByRole('button', { name: 'Save' }).click();
    await poll(() => lena.locator('.notification--success').innerText()).toBe(
      'Saved. We sent a confirmation link to lena.schmitt@example.org.',
    );
    await poll(() => lena.getByTestId('confirmation-pending').innerText()).toMatch(
      /^We sent a confirmation link to lena\.schmitt@example\.org\./,
    );
    await poll(() => lena.locator('#contact-summary').innerText()).toMatch(/Waiting for confirmation[\s\S]*Deutsch/);
    await expectAccessible(lena, 'contact pending');
    await lena.context().close();
  });

  it('the proof downloads as a PDF in the reader’s language; a mandate near its end is renewed on the same terms', async () => {
    const today = brusselsDay(server.app.now());
    const id = await propose(
      server.app,
      { person: AN },
      { type: TAX, mandator: person(AN), mandatee: person(JOZEF), validUntil: addDays(today, 20), reference: 'renew me' },
    );
    await countersign(server.app, id, { person: JOZEF });

    const an = await pageFor(AN, `/mandates/${id}`, true);
    await expectHeading(an, TAX_LABEL);
    const proof = an.getByRole('link', { name: 'Download the proof (PDF)' });
    expect(await proof.getAttribute('href')).toBe(`/api/v1/mandates/${id}/proof.pdf?lang=en`);
    const fetched = (await an.evaluate(`fetch(${JSON.stringify(`/api/v1/mandates/${id}/proof.pdf?lang=en`)}).then(async (r) => ({
      status: r.status, type: r.headers.get('content-type'), start: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) }))`)) as {
      status: number;
      type: string;
      start: string;
    };
    expect(fetched).toEqual({ status: 200, type: 'application/pdf', start: '%PDF-' });
    const [download] = await Promise.all([an.waitForEvent('download'), proof.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    await an.getByRole('button', { name: 'Français' }).click();
    await poll(() => an.getByTestId('proof-link').getAttribute('href')).toBe(`/api/v1/mandates/${id}/proof.pdf?lang=fr`);
    await an.getByRole('button', { name: 'English' }).click();

    await poll(() => an.getByTestId('renewal-banner').innerText()).toMatch(/^This mandate ends on .*, in 20 days\./);
    await an.getByRole('link', { name: 'Renew on the same terms' }).click();
    await expectHeading(an, 'Renew on the same terms');
    const from = addDays(today, 21);
    const until = addDays(from, 20);
    const day = (d: string) =>
      new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${d}T00:00:00Z`),
      );
    await poll(() => an.locator('#renewal').innerText()).toMatch(new RegExp(`New validity\\s+${day(from)} to ${day(until)}`));
    await expectAccessible(an, 'renew check');
    await screenshot(an, 'renew-check');
    await an.getByRole('button', { name: 'Sign and propose the renewal' }).click();
    await expectHeading(an, 'Renewal proposed');
    await poll(() => an.locator('.panel').innerText()).toMatch(/waits for the signature of person 62\.02\.14-151\.\d\d/);
    await an.getByRole('link', { name: 'View the new mandate' }).click();
    await expectHeading(an, TAX_LABEL);
    await poll(() => an.locator('main .tag').first().innerText()).toBe('Waiting for signature');
    await poll(() => an.locator('main').innerText()).toMatch('renew me');
    await an.context().close();
  });
});
