// Renewal on the same terms: offered near the end of a limited, signed mandate (and after it), and
// the new validity previewed as the server computes it.
import { describe, expect, it } from 'vitest';
import { daysBetween, RENEW_WINDOW_DAYS, renewalOffer, renewedValidity } from '../../web/src/lib/renewal.js';

describe('when renewal is offered', () => {
  it('only for a signed mandate with an end date, from the window before its end', () => {
    expect(renewalOffer({ status: 'signed', validUntil: '2027-03-31' }, '2027-03-01')).toBe('soon');
    expect(renewalOffer({ status: 'signed', validUntil: '2027-03-31' }, '2027-03-31')).toBe('soon');
    expect(renewalOffer({ status: 'signed', validUntil: '2027-03-31' }, '2027-04-01')).toBe('ended');
    expect(renewalOffer({ status: 'signed', validUntil: '2027-12-31' }, '2027-03-01')).toBeUndefined();
    expect(renewalOffer({ status: 'signed', validUntil: null }, '2027-03-01')).toBeUndefined();
    expect(renewalOffer({ status: 'stopped', validUntil: '2027-03-31' }, '2027-03-01')).toBeUndefined();
    expect(renewalOffer({ status: 'pending', validUntil: '2027-03-31' }, '2027-03-01')).toBeUndefined();
  });

  it('the window is the first reminder, counted in calendar days', () => {
    expect(daysBetween('2027-01-01', '2027-03-02')).toBe(60);
    expect(renewalOffer({ status: 'signed', validUntil: '2027-03-02' }, '2027-01-01')).toBe('soon');
    expect(renewalOffer({ status: 'signed', validUntil: '2027-03-03' }, '2027-01-01')).toBeUndefined();
    expect(RENEW_WINDOW_DAYS).toBe(60);
  });
});

describe('the renewed validity', () => {
  it('runs whole months from the day after the end when the current one does', () => {
    expect(renewedValidity('2026-11-01', '2027-10-31', '2027-10-20')).toEqual({ validFrom: '2027-11-01', validUntil: '2028-10-31' });
    expect(renewedValidity('2026-12-29', '2027-03-28', '2027-03-20')).toEqual({ validFrom: '2027-03-29', validUntil: '2027-06-28' });
  });

  it('else the same number of days', () => {
    expect(renewedValidity('2027-01-01', '2027-01-10', '2027-01-05')).toEqual({ validFrom: '2027-01-11', validUntil: '2027-01-20' });
  });

  it('starts today once the current one has ended', () => {
    expect(renewedValidity('2026-12-29', '2027-03-28', '2027-04-02')).toEqual({ validFrom: '2027-04-02', validUntil: '2027-07-01' });
  });
});
