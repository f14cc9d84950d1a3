// An accountant acts for her enterprise: she switches to it, sees the proposals waiting for the
// enterprise's signature and signs them on its behalf.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEnterpriseNumber } from '../../src/core/party.js';
import { type StartedServer, startServer } from '../fixtures/server.js';
import {
  AN,
  CAMILLE,
  enterprise,
  expectAccessible,
  expectHeading,
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
});
