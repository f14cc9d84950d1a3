// The local identity provider's pages: plain server-rendered HTML, labelled and keyboard-usable, with
// no inline script or style (the Content-Security-Policy forbids both).
import type { DemoCitizen } from '../app/demo-data.js';

export const DEV_PAGES_CSS_PATH = '/idp/assets/dev-idp.css';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** 85073003328 → 85.07.30-033.28, as printed on the eID card. */
export const formatNationalNumber = (nn: string) =>
  `${nn.slice(0, 2)}.${nn.slice(2, 4)}.${nn.slice(4, 6)}-${nn.slice(6, 9)}.${nn.slice(9)}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — SSM local identity provider</title>
<link rel="stylesheet" href="${DEV_PAGES_CSS_PATH}">
</head>
<body>
<header class="banner"><p><strong>Local test identity provider.</strong> For development and demonstrations only: nobody's identity is checked here.</p></header>
<main id="main">
${body}
</main>
</body>
</html>
`;
}

export interface LoginPageInput {
  action: string;
  clientName: string;
  citizens: readonly DemoCitizen[];
  /** What was typed, when it was refused. */
  value?: string;
  error?: string;
}

export function loginPage({ action, clientName, citizens, value, error }: LoginPageInput): string {
  const errorSummary = error
    ? `<div class="error-summary" role="alert" aria-labelledby="error-title">
<h2 id="error-title">There is a problem</h2>
<p><a href="#nationalNumber">${escapeHtml(error)}</a></p>
</div>`
    : '';
  const buttons = citizens
    .map(
      (c) => `<li><button type="submit" name="nationalNumber" value="${c.nationalNumber}">${escapeHtml(c.name)}
<span class="detail">${formatNationalNumber(c.nationalNumber)} · ${escapeHtml(c.note)}</span></button></li>`,
    )
    .join('\n');
  return page(
    error ? 'Error: sign in' : 'Sign in',
    `${errorSummary}
<h1>Sign in to ${escapeHtml(clientName)}</h1>
<p>Type any national number with valid check digits, or choose one of the fictitious citizens below.</p>
<form method="post" action="${escapeHtml(action)}" novalidate>
<div class="field${error ? ' field-error' : ''}">
<label for="nationalNumber">National number</label>
<p id="nationalNumber-hint" class="hint">11 digits, for example 85.07.30-033.28. Dots, dashes and spaces are allowed.</p>
${error ? `<p id="nationalNumber-error" class="error-message"><span class="visually-hidden">Error:</span> ${escapeHtml(error)}</p>` : ''}
<input id="nationalNumber" name="nationalNumber" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
 aria-describedby="nationalNumber-hint${error ? ' nationalNumber-error' : ''}"${error ? ' aria-invalid="true"' : ''} value="${escapeHtml(value ?? '')}">
</div>
<button type="submit">Sign in</button>
</form>
<h2 id="citizens-title">Fictitious citizens</h2>
<form method="post" action="${escapeHtml(action)}" aria-labelledby="citizens-title">
<ul class="citizens">
${buttons}
</ul>
</form>`,
  );
}

export interface ConsentPageInput {
  confirmAction: string;
  abortAction: string;
  clientName: string;
  nationalNumber: string;
  name: string | null;
}

export function consentPage({ confirmAction, abortAction, clientName, nationalNumber, name }: ConsentPageInput): string {
  return page(
    'Share your identity',
    `<h1>Share your identity with ${escapeHtml(clientName)}?</h1>
<p>You are signed in as ${name ? `${escapeHtml(name)}, ` : ''}national number ${formatNationalNumber(nationalNumber)}.</p>
<p>${escapeHtml(clientName)} will receive:</p>
<ul>
<li>your national number</li>
<li>your name, if it is known</li>
<li>when and how you signed in</li>
</ul>
<form method="post" action="${escapeHtml(confirmAction)}">
<button type="submit">Continue</button>
</form>
<form method="post" action="${escapeHtml(abortAction)}">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/** The provider's "sign out?" page; `form` is the provider's own form (with its anti-forgery token). */
export function logoutPage(host: string, form: string): string {
  return page(
    'Sign out',
    `<h1>Sign out of the local identity provider at ${escapeHtml(host)}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  );
}

export const DEV_PAGES_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.125rem;line-height:1.5;color:#0b0c0c;background:#fff;margin:0}
.banner{background:#ffdd00;padding:.5rem 1rem;border-bottom:2px solid #0b0c0c}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:2rem;line-height:1.2}
label{display:block;font-weight:700}
.hint{color:#484949;margin:.25rem 0}
input{font-size:1.25rem;padding:.4rem;border:2px solid #0b0c0c;width:100%;max-width:20rem;box-sizing:border-box}
input:focus,button:focus,a:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
button{font-size:1.125rem;padding:.5rem 1rem;margin:.75rem 0;border:2px solid #00703c;background:#00703c;color:#fff;cursor:pointer}
button.secondary{background:#f3f2f1;color:#0b0c0c;border-color:#0b0c0c}
.citizens{list-style:none;padding:0}
.citizens button{display:block;width:100%;text-align:left;background:#f3f2f1;color:#0b0c0c;border-color:#0b0c0c;margin:.5rem 0}
.detail{display:block;font-size:1rem;color:#484949}
.error-summary{border:4px solid #d4351c;padding:1rem;margin-bottom:1rem}
.error-summary a{color:#d4351c;font-weight:700}
.field-error{border-left:5px solid #d4351c;padding-left:.75rem}
.error-message{color:#d4351c;font-weight:700;margin:.25rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;
