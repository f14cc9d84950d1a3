// The main journeys in a real browser against the real server: two citizens make, sign and stop a
// mandate; a proposal is refused; a mandate is transferred; a signature needs a fresh sign-in.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer, startServer } from '../fixtures/server.js';
import {
  AN,
  CAMILLE,
  completeProviderLogin,
  countersign,
  expectHeading,
  JOZEF,
  LENA,
  launchBrowser,
  newContext,
  person,
  poll,
  prepareWeb,
  propose,
  screenshot,
  signIn,
  watchCsp,
} from './support.js';

describe('journeys in the browser', { timeout: 90_000 }, () => {
  let server: StartedServer;
  let browser: Browser;
  /** Moves the application's clock (not the identity provider's) to make a sign-in look old. */
  const clock = { offsetMs: 0 };

  beforeAll(async () => {
    await prepareWeb();
    server = await startServer({ now: () => new Date(Date.now() + clock.offsetMs) });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(cspViolations).toEqual([]);
  });

  /** CSP violations seen on any page of these journeys (the strict policy is enforced here). */
  const cspViolations: string[] = [];

  const pageFor = async (nationalNumber: string, returnTo = '/mandates'): Promise<Page> => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const seen = watchCsp(page);
    page.on('close', () => cspViolations.push(...seen));
    await signIn(page, server.url, nationalNumber, returnTo);
    return page;
  };

  const continueButton = (page: Page) => page.getByRole('button', { name: 'Continue' }).click();

  it('two citizens: A proposes to B, B signs, it is active, B stops it', async () => {
    const an = await pageFor(AN);
    await expectHeading(an, 'Your mandates');
    await an.getByRole('link', { name: 'Create a new mandate' }).click();

    await expectHeading(an, 'Which area is the mandate for?');
    await an.getByLabel('FPS Finance').check();
    await continueButton(an);
    await expectHeading(an, 'What may the mandatee do?');
    await an.getByLabel('Personal income tax (Tax-on-web)').check();
    await continueButton(an);
    await expectHeading(an, 'Do you give or receive this mandate?');
    await an.getByLabel('I give the mandate').check();
    await continueButton(an);
    await expectHeading(an, 'Who do you give the mandate to?');
    await an.getByLabel('A person').check();
    await an.getByLabel('National number').fill('62.02.14');
    await poll(() => an.locator('#other-id-status').innerText()).toBe('6 of 11 digits');
    await an.getByLabel('National number').fill(JOZEF);
    await poll(() => an.locator('#other-id-status').innerText()).toMatch(/Valid number: 62\.02\.14-151\.\d\d/);
    await continueButton(an);
    await expectHeading(an, 'When is the mandate valid?');
    await an.getByLabel('Until it is stopped (unlimited)').check();
    await continueButton(an);
    await expectHeading(an, 'Reference and language');
    await an.getByLabel('Your reference (optional)').fill('E2E two parties');
    await continueButton(an);
    await expectHeading(an, 'Check your answers before signing');
    await expect
      .poll(() => an.locator('#answers').innerText())
      .toMatch(/Personal income tax[\s\S]*You give this mandate[\s\S]*E2E two parties/);
    await an.getByRole('button', { name: 'Sign and send the proposal' }).click();
    await expectHeading(an, 'Proposal signed and sent');
    const id = (await an.locator('.panel__reference').innerText()).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const jozef = await pageFor(JOZEF);
    await expectHeading(jozef, 'Your mandates');
    const waiting = jozef.locator('[data-section="waitingMine"]');
    await waiting.getByRole('link', { name: 'Personal income tax (Tax-on-web)' }).click();
    await expectHeading(jozef, 'Personal income tax (Tax-on-web)');
    await poll(() => jozef.locator('main').innerText()).toMatch(/Waiting for signature/);
    await jozef.getByRole('link', { name: 'Sign', exact: true }).click();
    await expectHeading(jozef, 'Sign the mandate');
    await jozef.getByRole('button', { name: 'Sign', exact: true }).click();
    await expectHeading(jozef, 'Mandate signed');
    await poll(() => jozef.locator('.panel').innerText()).toMatch('The mandate is now in force.');

    await jozef.getByRole('link', { name: 'View the mandate' }).click();
    await expectHeading(jozef, 'Personal income tax (Tax-on-web)');
    await poll(() => jozef.locator('main .tag').first().innerText()).toBe('Active');
    await poll(() => jozef.locator('#signatures-heading + table').innerText()).toMatch(/Mandator:[\s\S]*Mandatee:/);
    await jozef.getByRole('link', { name: 'Stop the mandate' }).click();
    await expectHeading(jozef, 'Stop the mandate');
    await jozef.getByLabel('Why do you stop it? (optional)').fill('Taxes filed');
    await continueButton(jozef);
    await expectHeading(jozef, 'Check before you confirm');
    await jozef.getByRole('button', { name: 'Stop the mandate' }).click();
    await expectHeading(jozef, 'Mandate stopped');

    await an.goto(`${server.url}/mandates/${id}`);
    await expectHeading(an, 'Personal income tax (Tax-on-web)');
    await poll(() => an.locator('main .tag').first().innerText()).toBe('Stopped');
    await poll(() => an.locator('.timeline').innerText()).toMatch(/Proposed[\s\S]*Signed[\s\S]*Stopped[\s\S]*Taxes filed/);

    // Signing out ends the session here and at the identity provider, and says so.
    await an.getByRole('button', { name: 'Sign out' }).click();
    await an.waitForURL((u) => u.pathname.startsWith('/idp/'));
    await an.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expectHeading(an, 'Manage mandates for online government services');
    await poll(() => an.locator('main').innerText()).toMatch('You have been signed out.');
    await an.goto(`${server.url}/mandates`);
    await expectHeading(an, 'Sign in to continue');
    await an.context().close();
    await jozef.context().close();
  });

  it('an amendment: widening waits for the other party, narrowing applies at once', async () => {
    const id = await propose(
      server.app,
      { person: AN },
      { type: 'finance.e-depo', mandator: person(AN), mandatee: person(JOZEF), validUntil: '2027-12-31' },
    );
    await countersign(server.app, id, { person: JOZEF });

    const an = await pageFor(AN, `/mandates/${id}`);
    await an.getByRole('link', { name: 'Change the end date' }).click();
    await expectHeading(an, 'Change the end date');
    await an.getByLabel('Until a date').check();
    await an.locator('#new-until').fill('31');
    await an.locator('#new-until-month').fill('12');
    await an.locator('#new-until-year').fill('2028');
    await expect
      .poll(() => an.locator('main').innerText())
      .toMatch('This extends the mandate, so the other party (person 62.02.14-151.66) must sign the change too.');
    await continueButton(an);
    await expectHeading(an, 'Check before you confirm');
    await an.getByRole('button', { name: 'Sign the change' }).click();
    await expectHeading(an, 'Change signed and sent');

    const jozef = await pageFor(JOZEF);
    const card = jozef.locator('[data-section="waitingMine"] .mandate-card', { hasText: 'Document deposit' });
    await poll(() => card.locator('.tag').innerText()).toBe('Change waiting for signature');
    await card.getByRole('link').click();
    await jozef.getByRole('link', { name: 'Sign the change' }).click();
    await expectHeading(jozef, 'Sign the change to the mandate');
    await poll(() => jozef.locator('main').innerText()).toMatch('By signing you agree to the new end date: 31 December 2028.');
    await jozef.getByRole('button', { name: 'Sign', exact: true }).click();
    await expectHeading(jozef, 'Change signed');

    await an.goto(`${server.url}/mandates/${id}/amend`);
    await expectHeading(an, 'Change the end date');
    await an.getByLabel('Until a date').check();
    await an.locator('#new-until').fill('30');
    await an.locator('#new-until-month').fill('6');
    await an.locator('#new-until-year').fill('2027');
    await poll(() => an.locator('main').innerText()).toMatch('This shortens the mandate. It takes effect at once');
    await continueButton(an);
    await an.getByRole('button', { name: 'Sign the change' }).click();
    await expectHeading(an, 'End date changed');
    await poll(() => an.locator('.panel').innerText()).toMatch('The mandate is now valid until 30 June 2027.');
    await an.context().close();
    await jozef.context().close();
  });

  it('a refusal, with a reason the other party sees', async () => {
    const id = await propose(
      server.app,
      { person: AN },
      { type: 'finance.myminfin', mandator: person(AN), mandatee: person(CAMILLE), reference: 'refuse me' },
    );
    const camille = await pageFor(CAMILLE, `/mandates/${id}`);
    await expectHeading(camille, 'Consult the tax file (MyMinfin)');
    await camille.getByRole('link', { name: 'Refuse', exact: true }).click();
    await expectHeading(camille, 'Refuse the proposal');
    await camille.getByLabel('Why do you refuse? (optional)').fill('I do not know this person');
    await continueButton(camille);
    await expectHeading(camille, 'Check before you confirm');
    await camille.getByRole('button', { name: 'Refuse', exact: true }).click();
    await expectHeading(camille, 'Proposal refused');
    await screenshot(camille, 'refused-confirmation');
    await camille.getByRole('link', { name: 'View the mandate' }).click();
    await poll(() => camille.locator('main .tag').first().innerText()).toBe('Refused');
    await poll(() => camille.locator('main').innerText()).toMatch(/I do not know this person/);
    await camille.context().close();
  });

  it('a transfer: the mandator proposes a new mandatee, who signs; the old mandate is transferred', async () => {
    const id = await propose(
      server.app,
      { person: AN },
      { type: 'ehealth.health-data-consult', mandator: person(AN), mandatee: person(JOZEF) },
    );
    await countersign(server.app, id, { person: JOZEF });

    const an = await pageFor(AN, `/mandates/${id}`);
    await expectHeading(an, 'Consult health data');
    await an.getByRole('link', { name: 'Transfer to another mandatee' }).click();
    await expectHeading(an, 'Who is the new mandatee?');
    await an.getByLabel('National number').fill(LENA);
    await continueButton(an);
    await expectHeading(an, 'Check before you confirm');
    await an.getByRole('button', { name: 'Sign and propose the transfer' }).click();
    await expectHeading(an, 'Transfer proposed');
    await an.getByRole('link', { name: 'View the new mandate' }).click();
    await expectHeading(an, 'Consult health data');
    const successorUrl = an.url();

    const lena = await pageFor(LENA);
    await lena.locator('[data-section="waitingMine"]').getByRole('link', { name: 'Consult health data' }).click();
    expect(lena.url()).toBe(successorUrl);
    await lena.getByRole('link', { name: 'Sign', exact: true }).click();
    await lena.getByRole('button', { name: 'Sign', exact: true }).click();
    await expectHeading(lena, 'Mandate signed');
    await poll(() => lena.locator('main').innerText()).toMatch('The mandate replaces the earlier one, which is now transferred.');

    await an.goto(`${server.url}/mandates/${id}`);
    await poll(() => an.locator('main .tag').first().innerText()).toBe('Transferred');
    await an.context().close();
    await lena.context().close();
  });

  it('a signature after an old sign-in sends the person to sign in again, then lets them confirm', async () => {
    const id = await propose(
      server.app,
      { person: AN },
      { type: 'flanders.study-grants', mandator: person(AN), mandatee: person(CAMILLE) },
    );
    const camille = await pageFor(CAMILLE, `/mandates/${id}/sign`);
    await expectHeading(camille, 'Sign the mandate');
    clock.offsetMs = 11 * 60_000; // the service now sees the sign-in as 11 minutes old
    try {
      await camille.getByRole('button', { name: 'Sign', exact: true }).click();
      await camille.waitForURL((u) => u.pathname.startsWith('/idp/'));
      expect(new URL(camille.url()).pathname).toMatch(/^\/idp\//);
    } finally {
      clock.offsetMs = 0;
    }
    await completeProviderLogin(camille, server.url, CAMILLE);
    expect(new URL(camille.url()).pathname).toBe(`/mandates/${id}/sign`);
    await expect
      .poll(() => camille.locator('main').innerText())
      .toMatch('You have signed in again. Check the details and confirm once more.');
    await camille.getByRole('button', { name: 'Sign', exact: true }).click();
    await expectHeading(camille, 'Mandate signed');
    await camille.context().close();
  });
});
