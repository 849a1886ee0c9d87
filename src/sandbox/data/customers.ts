/** Seeded customers, including the Nordlys Holding group that shares one organisation number. */
import { createRandom, deriveSeed, type Random } from '../prng.js';
import { dateTime, organizationNumber, phoneNumber, slug } from './norway.js';
import { CITIES, COMPANY_STEMS, COMPANY_TRADES, FIRST_NAMES, LAST_NAMES, NORDLYS_NAMES, STREETS } from './words.js';
import type { Release } from './release.js';

export interface Address {
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

/** The wire form. Release 1 sends `phone`; release 2 renames it to `phoneNumber`. */
export interface Customer {
  id: number;
  name: string;
  organizationNumber: string;
  email: string;
  phone?: string;
  phoneNumber?: string;
  address?: Address;
  parentId: number | null;
  status: 'active' | 'inactive';
  createdAt: string;
}

export interface Contact {
  name: string;
  role: string;
  email: string;
  phone: string;
}

export const CUSTOMER_COUNT = 50;
export const FIRST_CUSTOMER_ID = 10001;
/** Positions (0-based) of the Nordlys Holding subsidiaries; the first is the parent. */
export const NORDLYS_POSITIONS = [3, 8, 14, 21, 22, 27, 33, 38, 41, 47] as const;
/** Positions whose required `address` is missing (legacy import): missing-required. */
export const MISSING_ADDRESS_POSITIONS = [6, 29] as const;
/** Position whose `email` holds two addresses, which is no email: format-mismatch. */
export const INVALID_EMAIL_POSITION = 23;

const EPOCH_2019 = Date.parse('2019-01-01T00:00:00Z');

export function generateCustomers(seed: number, release: Release): Customer[] {
  const random = createRandom(deriveSeed(seed, 'customers'));
  const groupOrgNumber = organizationNumber(random);
  const usedNames = new Set<string>();
  const customers: Customer[] = [];
  for (let position = 0; position < CUSTOMER_COUNT; position++) {
    const id = FIRST_CUSTOMER_ID + position;
    const groupIndex = (NORDLYS_POSITIONS as readonly number[]).indexOf(position);
    const city = random.pick(CITIES);
    let name: string;
    let email: string;
    let orgNumber: string;
    let parentId: number | null = null;
    if (groupIndex >= 0) {
      name = NORDLYS_NAMES[groupIndex] ?? 'Nordlys Holding AS';
      email = groupIndex === 0 ? 'post@nordlys.no' : `faktura.${slug(name.replace('Nordlys', ''))}@nordlys.no`;
      orgNumber = groupOrgNumber;
      if (groupIndex > 0) parentId = FIRST_CUSTOMER_ID + NORDLYS_POSITIONS[0];
    } else {
      name = uniqueCompanyName(random, usedNames);
      const domain = `${slug(name)}.no`;
      email = position === INVALID_EMAIL_POSITION ? `post@${domain}; faktura@${domain}` : `${random.pick(['post', 'faktura', 'regnskap'])}@${domain}`;
      orgNumber = organizationNumber(random);
    }
    const address: Address = {
      street: `${random.pick(STREETS)} ${random.int(1, 120)}`,
      postalCode: city.postalCode,
      city: city.city,
      country: 'NO',
    };
    const phone = phoneNumber(random, random.chance(0.5) ? city.areaCode : random.pick(['4', '9']));
    const createdAt = dateTime(EPOCH_2019 + random.int(0, 5 * 365 * 86_400) * 1000);
    const status = random.chance(0.9) ? 'active' : 'inactive';
    customers.push(
      customerRecord(release, {
        id,
        name,
        organizationNumber: orgNumber,
        email,
        phone,
        address: (MISSING_ADDRESS_POSITIONS as readonly number[]).includes(position) ? undefined : address,
        parentId,
        status,
        createdAt,
      }),
    );
  }
  return customers;
}

export interface CustomerFields {
  id: number;
  name: string;
  organizationNumber: string;
  email: string;
  phone: string | undefined;
  address: Address | undefined;
  parentId: number | null;
  status: 'active' | 'inactive';
  createdAt: string;
}

/** Lays out the wire form, field order included, for the given release. */
export function customerRecord(release: Release, fields: CustomerFields): Customer {
  const phone = fields.phone === undefined ? {} : release === 2 ? { phoneNumber: fields.phone } : { phone: fields.phone };
  return {
    id: fields.id,
    name: fields.name,
    organizationNumber: fields.organizationNumber,
    email: fields.email,
    ...phone,
    ...(fields.address === undefined ? {} : { address: fields.address }),
    parentId: fields.parentId,
    status: fields.status,
    createdAt: fields.createdAt,
  };
}

/** The undocumented GET /customers/{id}/contacts: derived, so it costs no state. */
export function generateContacts(seed: number, customer: Customer): Contact[] {
  const random = createRandom(deriveSeed(seed, `contacts:${customer.id}`));
  const domain = customer.email.split('@')[1]?.split(';')[0] ?? 'example.no';
  const roles = ['Daglig leder', 'Økonomiansvarlig', 'Innkjøper', 'IT-ansvarlig'];
  return Array.from({ length: random.int(1, 3) }, () => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    return {
      name: `${first} ${last}`,
      role: random.pick(roles),
      email: `${slug(first)}.${slug(last)}@${domain}`,
      phone: phoneNumber(random, random.pick(['4', '9'])),
    };
  });
}

function uniqueCompanyName(random: Random, used: Set<string>): string {
  for (;;) {
    const name = `${random.pick(COMPANY_STEMS)} ${random.pick(COMPANY_TRADES)}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}
