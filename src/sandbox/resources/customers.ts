/**
 * /customers. Deviations: the undocumented GET /customers/{id}/contacts, `text/csv` when
 * asked for it, records without the required `address`, an `email` that is no email, and the
 * ten Nordlys Holding subsidiaries sharing one organisation number.
 */
import { customerRecord, generateContacts, type Address, type Customer } from '../data/customers.js';
import { dateTime } from '../data/norway.js';
import { json, problem, type ApiResponse } from '../respond.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxState } from '../state.js';
import { FieldReader } from './fields.js';
import { listResponse, numericId } from './list.js';

export const customerRoutes: Route[] = [
  { method: 'GET', path: '/customers', kind: 'list', scope: 'erp.read', handle: listCustomers },
  { method: 'POST', path: '/customers', kind: 'create', scope: 'erp.write', handle: createCustomer },
  { method: 'GET', path: '/customers/{customerId}', kind: 'detail', scope: 'erp.read', handle: getCustomer },
  // Not in the document: undocumented-operation.
  { method: 'GET', path: '/customers/{customerId}/contacts', kind: 'list', scope: 'erp.read', handle: listContacts },
];

function listCustomers(request: ApiRequest, state: SandboxState): ApiResponse {
  const wantsCsv = String(request.headers.accept ?? '').toLowerCase().includes('text/csv');
  return listResponse(request, state, '/customers', state.data.customers, {}, wantsCsv ? (page) => customersCsv(page.data) : undefined);
}

function getCustomer(request: ApiRequest, state: SandboxState): ApiResponse {
  const customer = findCustomer(state, request.params['customerId']);
  return customer === undefined ? customerNotFound(request) : json(200, customer);
}

function listContacts(request: ApiRequest, state: SandboxState): ApiResponse {
  const customer = findCustomer(state, request.params['customerId']);
  if (customer === undefined) return customerNotFound(request);
  return json(200, { data: generateContacts(state.settings.seed, customer) });
}

function createCustomer(request: ApiRequest, state: SandboxState): ApiResponse {
  const fields = new FieldReader(request.body ?? {});
  const name = fields.string('name', { required: true, maxLength: 100 });
  const organizationNumber = fields.string('organizationNumber', { required: true, pattern: /^\d{9}$/, patternText: 'must be 9 digits' });
  const email = fields.string('email', { required: true, maxLength: 254, pattern: /^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$/, patternText: 'must be an email address' });
  // Release 2 renamed the field; it accepts both spellings on input.
  const phone = fields.string(state.settings.release === 2 && fields.raw('phone') === undefined ? 'phoneNumber' : 'phone', { maxLength: 30 });
  const address = fields.object('address', {}, readAddress);
  const parentId = fields.number('parentId', { integer: true, minimum: 1 });
  if (parentId !== undefined && !state.data.customers.some((c) => c.id === parentId)) fields.fail('parentId', 'no such customer');
  if (fields.errors.length > 0 || name === undefined || organizationNumber === undefined || email === undefined) {
    return problem(400, 'Bad Request', 'The customer is not valid.', fields.errors);
  }
  const customer = customerRecord(state.settings.release, {
    id: Math.max(0, ...state.data.customers.map((c) => c.id)) + 1,
    name,
    organizationNumber,
    email,
    phone,
    address,
    parentId: parentId ?? null,
    status: 'active',
    createdAt: dateTime(state.settings.clock()),
  });
  state.data.customers.push(customer);
  return json(201, customer, { Location: `${state.baseUrl}/api/v1/customers/${customer.id}` });
}

function readAddress(inner: FieldReader): Address | undefined {
  const street = inner.string('street', { required: true, maxLength: 100 });
  const postalCode = inner.string('postalCode', { required: true, pattern: /^\d{4}$/, patternText: 'must be 4 digits' });
  const city = inner.string('city', { required: true, maxLength: 60 });
  const country = inner.string('country', { pattern: /^[A-Z]{2}$/, patternText: 'must be an ISO 3166-1 alpha-2 code' }) ?? 'NO';
  if (street === undefined || postalCode === undefined || city === undefined) return undefined;
  return { street, postalCode, city, country };
}

export function findCustomer(state: SandboxState, idText: string | undefined): Customer | undefined {
  const id = numericId(idText);
  return id === undefined ? undefined : state.data.customers.find((customer) => customer.id === id);
}

function customerNotFound(request: ApiRequest): ApiResponse {
  return problem(404, 'Not Found', `No customer with id ${JSON.stringify(request.params['customerId'] ?? '')}.`);
}

/** An export the document never mentions: undocumented-content-type on listCustomers. */
function customersCsv(customers: readonly Customer[]): ApiResponse {
  const rows = [['id', 'name', 'organizationNumber', 'email', 'phone', 'city']];
  for (const c of customers) {
    rows.push([String(c.id), c.name, c.organizationNumber, c.email, c.phone ?? c.phoneNumber ?? '', c.address?.city ?? '']);
  }
  const text = rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
  return { status: 200, text, contentType: 'text/csv; charset=utf-8' };
}

// RFC 4180 §2.6–2.7: quote fields holding commas, quotes or line breaks; double the quotes.
function csvField(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
