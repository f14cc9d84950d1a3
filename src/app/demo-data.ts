// Fictitious people and enterprises for demos and tests. Their numbers are check-digit valid but
// made up; the names are invented.
import type { Language } from '../core/party.js';
import { LANGUAGES, makeEnterpriseNumber, makeNationalNumber } from '../core/party.js';

export interface DemoCitizen {
  nationalNumber: string;
  name: string;
  language: Language;
  email: string;
  note: string;
}

export interface DemoEnterprise {
  enterpriseNumber: string;
  name: string;
  /** National numbers of the people who may represent it. */
  representatives: string[];
}

const citizen = (birth: string, serial: number, name: string, language: Language, note: string, from2000 = false): DemoCitizen => ({
  nationalNumber: makeNationalNumber(birth, serial, from2000),
  name,
  language,
  email: `${name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .replace(/ /g, '.')}@example.org`,
  note,
});

export const DEMO_CITIZENS: DemoCitizen[] = [
  citizen('850730', 33, 'An Peeters', 'nl', 'citizen, gives mandates to family'),
  citizen('620214', 151, 'Jozef Peeters', 'nl', "An's father; she files his taxes"),
  citizen('910403', 87, 'Camille Dubois', 'fr', 'citizen in Wallonia'),
  citizen('770918', 212, 'Luc Martin', 'fr', 'accountant, represents Fiduciaire Martin'),
  citizen('881122', 45, 'Lena Schmitt', 'de', 'citizen in the German-speaking Community'),
  citizen('030510', 318, 'Noah Janssens', 'nl', 'born in 2003: the 2000 rule', true),
  citizen('852730', 33, 'Oliver Smith', 'en', 'expatriate with a BIS number'),
  citizen('690601', 126, 'Marie Claes', 'nl', 'accountant, represents Boekhoudkantoor Claes'),
  citizen('740812', 64, 'Pieter Wouters', 'nl', 'manager of Bakkerij Wouters'),
  citizen('800229', 97, 'Sophie Lambert', 'fr', 'executor at Fiduciaire Martin'),
];

export const DEMO_ENTERPRISES: DemoEnterprise[] = [
  {
    enterpriseNumber: makeEnterpriseNumber('04031707'),
    name: 'Boekhoudkantoor Claes BV',
    representatives: [DEMO_CITIZENS[7]!.nationalNumber],
  },
  {
    enterpriseNumber: makeEnterpriseNumber('08123456'),
    name: 'Fiduciaire Martin SRL',
    representatives: [DEMO_CITIZENS[3]!.nationalNumber],
  },
  { enterpriseNumber: makeEnterpriseNumber('07654321'), name: 'Bakkerij Wouters BV', representatives: [DEMO_CITIZENS[8]!.nationalNumber] },
  {
    enterpriseNumber: makeEnterpriseNumber('10012345'),
    name: 'Bouwbedrijf Nieuw NV',
    representatives: [DEMO_CITIZENS[8]!.nationalNumber, DEMO_CITIZENS[0]!.nationalNumber],
  },
];

/** Many more fictitious people, for volume: "Demo Citizen 001" … */
export function crowd(count: number): DemoCitizen[] {
  return Array.from({ length: count }, (_, i) => {
    const year = 40 + (i % 60);
    const month = 1 + (i % 12);
    const day = 1 + (i % 28);
    const birth = `${String(year).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    return citizen(birth, 100 + (i % 800), `Demo Citizen ${String(i + 1).padStart(3, '0')}`, LANGUAGES[i % 4] as Language, 'volume');
  });
}
