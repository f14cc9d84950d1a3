// Keyboard only: create a mandate and sign it, with Tab, Space, Enter and typing — no mouse, no
// clicks. Also checks the skip link, the focus on each new page's heading, and a visible focus.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer, startServer } from '../fixtures/server.js';
import { CAMILLE, expectHeading, focused, LENA, launchBrowser, newContext, poll, prepareWeb, signIn } from './support.js';

describe('keyboard only', { timeout: 90_000 }, () => {
  let server: StartedServer;
  let browser: Browser;

  beforeAll(async () => {
    await prepareWeb();
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Presses Tab until the focused element matches, as a keyboard user would. */
  const tabTo = async (page: Page, target: RegExp, max = 40) => {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      if (target.test(await focused(page))) return;
    }
    throw new Error(`could not reach ${target} with Tab; focus is on ${await focused(page)}`);
  };

  const expectFocusOnHeading = async (page: Page, text: string) => {
    await expectHeading(page, text);
    await poll(() => focused(page)).toBe(`h1 ${text}`);
  };

  /** The focused element shows a focus indicator (outline or box-shadow). */
  const expectVisibleFocus = async (page: Page) => {
    const style = (await page.evaluate(
      '(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + "|" + s.boxShadow + "|" + s.backgroundColor; })()',
    )) as string;
    const [outline, shadow] = style.split('|');
    expect(outline !== 'none' || (shadow !== undefined && shadow !== 'none'), `focus style: ${style}`).toBe(true);
  };

  it('creates a mandate and has it signed using only the keyboard', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, server.url, CAMILLE);
    await expectHeading(page, 'Your mandates');

    // The first Tab reaches the skip link, which moves on to the main content.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a Skip to main content');
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^main#main/);

    await tabTo(page, /^a Create a new mandate$/);
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'Which area is the mandate for?');
    await tabTo(page, /^input#domain /);
    await page.keyboard.press('Space');
    await tabTo(page, /^button Continue$/);
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'What may the mandatee do?');
    await tabTo(page, /^input#type /);
    // Arrow keys move within the radio group: the second type, then back to the first.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await tabTo(page, /^button Continue$/);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'Do you give or receive this mandate?');
    await tabTo(page, /^input#role /);
    await page.keyboard.press('Space');
    await tabTo(page, /^button Continue$/);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'Who do you give the mandate to?');
    await tabTo(page, /^input#other-kind /);
    await page.keyboard.press('Space');
    await tabTo(page, /^input#other-id/);
    await page.keyboard.type(LENA);
    await tabTo(page, /^button Continue$/);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'When is the mandate valid?');
    await tabTo(page, /^input#duration /);
    await page.keyboard.press('Space');
    await tabTo(page, /^button Continue$/);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'Reference and language');
    await tabTo(page, /^textarea#reference/);
    await page.keyboard.type('keyboard only');
    await tabTo(page, /^button Continue$/);
    await page.keyboard.press('Enter');

    await expectFocusOnHeading(page, 'Check your answers before signing');
    await tabTo(page, /^button#submit Sign and send the proposal$/);
    await page.keyboard.press('Enter');
    await expectFocusOnHeading(page, 'Proposal signed and sent');
    await page.context().close();

    // The other party signs, keyboard only.
    const lena = await (await newContext(browser)).newPage();
    await signIn(lena, server.url, LENA);
    await expectHeading(lena, 'Your mandates');
    await tabTo(lena, /^a Personal income tax \(Tax-on-web\)$/);
    await lena.keyboard.press('Enter');
    await expectFocusOnHeading(lena, 'Personal income tax (Tax-on-web)');
    await tabTo(lena, /^a Sign$/);
    await lena.keyboard.press('Enter');
    await expectFocusOnHeading(lena, 'Sign the mandate');
    await tabTo(lena, /^button#submit Sign$/);
    await lena.keyboard.press('Enter');
    await expectFocusOnHeading(lena, 'Mandate signed');
    await tabTo(lena, /^a View the mandate$/);
    await lena.keyboard.press('Enter');
    await poll(() => lena.locator('main .tag').first().innerText()).toBe('Active');
    await lena.context().close();
  });

  it('an error summary takes the focus and its link leads to the field, by keyboard', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, server.url, CAMILLE, '/mandates/new');
    await expectHeading(page, 'Which area is the mandate for?');
    await tabTo(page, /^button Continue$/);
    await page.keyboard.press('Enter');
    await poll(() => focused(page)).toMatch(/^div There is a problem/);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a Select an area');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^input#domain /);
    await page.context().close();
  });
});
