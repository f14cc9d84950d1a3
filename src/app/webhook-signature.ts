// The signature on every webhook request: `SSM-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
// with the webhook's secret. The timestamp inside the MAC lets receivers refuse replays of old requests.
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');

export function signWebhookBody(secret: string, body: string, t: number): string {
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/** What a receiver does: recompute the MAC over the exact body and check the timestamp is recent. */
export function verifyWebhookSignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(mac(secret, t, body), 'hex'), Buffer.from(given, 'hex'));
}
