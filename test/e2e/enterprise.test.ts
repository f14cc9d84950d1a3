// An accountant acts for her enterprise: she switches to it, sees the proposals waiting for the
// enterprise's signature and signs them on its behalf; she names an executor, whom a business
// application's check then lets act for the enterprise's client, and removes them again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/app/api-clients.js';
import { makeEnterpriseNumber } from '../../src/core/party.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import {
  AN,
  CAMILLE,
  enterprise,
  expectAccessible,
  expectHeading,
  expectTranslated,
  JOZEF,
  launchBrowser,
  MARIE,
  newContext,
  person,
  poll,
  prepareWeb,
  propose,
  screenshot,
  signIn,
} from './support.js';

const CLAES = makeEnterpriseNumber('04031707'); // 0403.170.701

describe('acting for an enterprise', { timeout: 90_000 }, () => {
  let server: StartedServer;
  let browser: Browser;

  beforeAll(async () => {
    await prepareWeb();
    server = await startServer();
    await server.app.store.addRepresentatives([{ enterpriseId: CLAES, personId: MARIE, source: 'test' }]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an accountant switches to her enterprise and signs the proposals waiting for it', async () => {
    for (const client of [AN, CAMILLE]) {
      await propose(
        server.app,
        { person: client },
        { type: 'finance.personal-income-tax', mandator: person(client), mandatee: enterprise(CLAES), reference: `client ${client}` },
      );
    }
    const page = await (await newContext(browser, { forAxe: true })).newPage();
    await signIn(page, server.url, MARIE);
    await expectHeading(page, 'Your mandates');
    // As herself she has nothing waiting.
    await poll(() => page.getByTestId('result-count').innerText()).toBe('0 mandates shown');

    await page.getByLabel('Acting for').selectOption(CLAES);
    await page.getByRole('button', { name: 'Switch' }).click();
    await expectHeading(page, 'Mandates of enterprise 0403.170.701');
    await poll(() => page.locator('.acting-banner').innerText()).toMatch('You are acting for enterprise 0403.170.701');
    const waiting = page.locator('[data-section="waitingMine"] .mandate-card');
    await poll(() => waiting.count()).toBe(2);
    await screenshot(page, 'enterprise-dashboard');
    await expectAccessible(page, 'enterprise dashboard');

    for (let signed = 0; signed < 2; signed += 1) {
      await page.locator('[data-section="waitingMine"] .mandate-card a').first().click();
      await expectHeading(page, 'Personal income tax (Tax-on-web)');
      await page.getByRole('link', { name: 'Sign', exact: true }).click();
      await expectHeading(page, 'Sign the mandate');
      await poll(() => page.locator('main').innerText()).toMatch('on behalf of enterprise 0403.170.701');
      await page.getByRole('button', { name: 'Sign', exact: true }).click();
      await expectHeading(page, 'Mandate signed');
      await page.getByRole('link', { name: 'My mandates' }).first().click();
      await expectHeading(page, 'Mandates of enterprise 0403.170.701');
    }
    await poll(() => page.locator('[data-section="active"] .mandate-card').count()).toBe(2);
    await poll(() => page.locator('[data-section="waitingMine"] .mandate-card').count()).toBe(0);

    // The signatures name Marie as the signer for the enterprise.
    await page.locator('[data-section="active"] .mandate-card a').first().click();
    await expect
      .poll(() => page.locator('#signatures-heading + table').innerText())
      .toMatch(/Mandatee: Enterprise 0403\.170\.701 \(you\)[\s\S]*Marie Claes/);
    await page.context().close();
  });

  it('names an executor whom a check then lets act for the client, and removes them; in every language', async () => {
    const { client, secret } = await createApiClient(server.app, { name: 'tax', domain: 'finance' });
    const authorization = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
    const mayJozefAct = async () => {
      const response = await fetch(`${server.url}/api/v1/checks`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          mandator: person(AN),
          mandatee: enterprise(CLAES),
          type: 'finance.personal-income-tax',
          actingPerson: JOZEF,
        }),
      });
      return ((await response.json()) as { allowed: boolean }).allowed;
    };
    expect(await mayJozefAct()).toBe(false);

    const page = await (await newContext(browser, { forAxe: true })).newPage();
    await signIn(page, server.url, MARIE);
    await page.getByLabel('Acting for').selectOption(CLAES);
    await page.getByRole('button', { name: 'Switch' }).click();
    await expectHeading(page, 'Mandates of enterprise 0403.170.701');
    await page.getByRole('link', { name: 'Executors' }).click();
    await expectHeading(page, 'Executors of enterprise 0403.170.701');
    await page.getByTestId('no-executors').waitFor();

    await page.getByRole('button', { name: 'Add' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary a[href="#executor-person"]').count()).toBe(1);
    expect(await page.locator('.error-summary a[href="#executor-type"]').count()).toBe(1);
    await expectAccessible(page, 'executors with errors');

    // Two types in one go.
    await page.fill('#executor-person', JOZEF);
    await page.getByLabel('Personal income tax (Tax-on-web)').check();
    await page.getByLabel('VAT (Intervat)').check();
    await page.getByRole('button', { name: 'Add' }).click();
    await poll(() => page.getByTestId('executors').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('executors').innerText()).toMatch(/Personal income tax[\s\S]*VAT/);
    await poll(() => page.locator('main').innerText()).toMatch('now carries out Personal income tax (Tax-on-web) and VAT (Intervat)');
    expect(await page.locator('#executor-type').isChecked()).toBe(false);
    expect(await mayJozefAct()).toBe(true);
    await screenshot(page, 'enterprise-executors');
    await expectAccessible(page, 'executors');

    await page.getByRole('button', { name: /^Remove .*Personal income tax/ }).click();
    await poll(() => page.getByTestId('executors').locator('tbody tr').count()).toBe(1);
    expect(await mayJozefAct()).toBe(false);
    await page.getByRole('button', { name: /^Remove/ }).click();
    await page.getByTestId('no-executors').waitFor();
    await page.context().close();

    for (const locale of ['nl-BE', 'fr-BE', 'de-BE']) {
      const other = await (await newContext(browser, { locale, forAxe: true })).newPage();
      await signIn(other, server.url, MARIE);
      await other.locator('#acting-for').selectOption(CLAES);
      await other.locator('.acting-switcher button').click();
      await poll(() => other.locator('.acting-banner').count()).toBe(1);
      await other.locator('nav a[href="/executors"]').click();
      await other.getByTestId('no-executors').waitFor();
      await expectTranslated(other, `${locale} executors`);
      await expectAccessible(other, `${locale} executors`);
      await other.context().close();
    }
  });
});
