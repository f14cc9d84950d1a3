// Shared by the browser tests: the web build, Debian's Chromium, signing in through the real local
// identity provider, seeding mandates through the application, axe-core, untranslated-key checks
// and screenshots.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildWebIfNeeded } from '../../scripts/build-web-if-needed.mjs';
import type { AppContext } from '../../src/app/context.js';
import { createMandate } from '../../src/app/create-mandate.js';
import { DEMO_CITIZENS } from '../../src/app/demo-data.js';
import { signMandate } from '../../src/app/mandate-commands.js';
import type { Actor } from '../../src/core/command.js';
import { brusselsDay } from '../../src/core/dates.js';
import type { Party } from '../../src/core/party.js';

export const CHROMIUM = '/usr/bin/chromium';

const ROOT = join(import.meta.dirname, '../..');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Fictitious citizens of the local identity provider's login page. */
const citizen = (name: string) => DEMO_CITIZENS.find((c) => c.name === name)!.nationalNumber;
export const AN = citizen('An Peeters');
export const JOZEF = citizen('Jozef Peeters');
export const CAMILLE = citizen('Camille Dubois');
export const LENA = citizen('Lena Schmitt');
export const MARIE = citizen('Marie Claes');
export const person = (id: string): Party => ({ kind: 'person', id });
export const enterprise = (id: string): Party => ({ kind: 'enterprise', id });

export async function prepareWeb(): Promise<void> {
  await buildWebIfNeeded({ log: () => undefined });
}

export async function launchBrowser(): Promise<Browser> {
  // Never skipped: without Debian's chromium the browser tests fail with this message (.ci/run installs it).
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser profile. `forAxe` lets axe-core be injected despite the strict CSP (it is added as an
 * inline script); the other tests keep the CSP enforced and fail on any violation (see watchCsp).
 */
export async function newContext(browser: Browser, { locale = 'en-GB', width = 1024, forAxe = false } = {}): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width, height: 900 }, timezoneId: 'Europe/Brussels', bypassCSP: forAxe });
}

/** Collects Content-Security-Policy violations the page reports (our pages must have none). */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Signs in through the real flow: /auth/login → the local provider's login page (types the national
 * number) → its consent page when it asks → back into the application at `returnTo`.
 */
export async function signIn(page: Page, baseUrl: string, nationalNumber: string, returnTo = '/mandates'): Promise<void> {
  await page.goto(`${baseUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await completeProviderLogin(page, baseUrl, nationalNumber);
}

/** On the provider's pages: type the number, sign in, agree to share, until back in the application. */
export async function completeProviderLogin(page: Page, baseUrl: string, nationalNumber: string): Promise<void> {
  await page.waitForURL((u) => u.pathname.startsWith('/idp/'));
  await page.fill('#nationalNumber', nationalNumber);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const back = (u: URL) => u.origin === baseUrl && !/^\/(idp|auth)(\/|$)/.test(u.pathname);
  await page.waitForURL((u) => back(u) || /\/interaction\//.test(u.pathname));
  if (!back(new URL(page.url()))) {
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(back);
  }
}

/** The page's main heading, once the application has rendered it. */
export async function heading(page: Page): Promise<string> {
  const h1 = page.locator('main h1');
  await h1.first().waitFor();
  return (await h1.first().innerText()).trim();
}

/** expect.poll with room for a busy machine (the browser, the server and other test files share it). */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

export async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  await poll(() => heading(page)).toMatch(text);
}

const actorFor = (id: string): Actor => ({ kind: 'person', id, authTime: new Date().toISOString(), authLevel: 'test' });

/** A proposal made through the application (not the browser), signed by its creator. */
export async function propose(
  app: AppContext,
  by: { person: string; as?: Party },
  input: { type: string; mandator: Party; mandatee: Party; validUntil?: string | null; reference?: string },
): Promise<string> {
  const result = await createMandate(app, actorFor(by.person), by.as ?? person(by.person), {
    ...input,
    validFrom: brusselsDay(app.now()),
    validUntil: input.validUntil ?? null,
    language: 'en',
  });
  if (!result.ok) throw new Error(`seeding failed: ${result.refusal.code} ${result.refusal.message}`);
  return result.mandate.id;
}

/** The countersignature, through the application. */
export async function countersign(app: AppContext, mandateId: string, by: { person: string; as?: Party }): Promise<void> {
  const result = await signMandate(app, { actor: actorFor(by.person), as: by.as ?? person(by.person), mandateId });
  if (!result.ok) throw new Error(`countersigning failed: ${result.refusal.code}`);
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core over the whole page: no serious or critical violation of WCAG 2.0–2.2 A/AA. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
}

/** Top-level groups of the translation keys: raw keys of these would show as e.g. "dashboard.title". */
const KEY_PREFIXES = [
  'common',
  'nav',
  'language',
  'acting',
  'party',
  'role',
  'state',
  'stateText',
  'validity',
  'start',
  'signInNeeded',
  'dashboard',
  'wizard',
  'date',
  'detail',
  'actions',
  'errors',
  'a11y',
  'notFound',
  'why',
  'renew',
  'proof',
  'inbox',
  'contact',
  'bulk',
  'jobs',
];
const RAW_KEY = new RegExp(`\\b(?:${KEY_PREFIXES.join('|')})\\.[A-Za-z_]+(?:\\.[A-Za-z_]+)*\\b`);

/** No key asked of i18next was missing, and no raw key shows on the page. */
export async function expectTranslated(page: Page, screen: string): Promise<void> {
  const missing = (await page.evaluate('window.__ssmMissingKeys ?? []')) as string[];
  expect(missing, `${screen}: missing translations`).toEqual([]);
  const text = await page.locator('body').innerText();
  expect(text.match(RAW_KEY)?.[0], `${screen}: raw translation key on the page`).toBeUndefined();
  expect(text, `${screen}: unfilled placeholder`).not.toMatch(/\{\{\w+\}\}/);
}

/**
 * No inline style attribute anywhere (the CSP's style-src 'self' would block it). An empty one is
 * left by the browser automation's typing into a field and declares nothing.
 */
export async function expectNoInlineStyles(page: Page, screen: string): Promise<void> {
  const styled = (await page.evaluate(
    '[...document.querySelectorAll("[style]")].filter((e) => e.getAttribute("style").trim() !== "").map((e) => e.outerHTML.slice(0, 300))',
  )) as string[];
  expect(styled.join('\n'), `${screen}: elements with a style attribute`).toBe('');
}

/** Nothing scrolls sideways (WCAG 1.4.10 reflow at 320 CSS pixels, and 200% zoom). */
export async function expectNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, `${screen}: horizontal overflow in px`).toBeLessThanOrEqual(0);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Which element has the keyboard focus, in words (for keyboard-only tests). */
export async function focused(page: Page): Promise<string> {
  return (await page.evaluate(
    `(() => { const e = document.activeElement; if (!e) return ''; return [e.tagName.toLowerCase(), e.id ? '#' + e.id : '', ' ', (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 60)].join(''); })()`,
  )) as string;
}
