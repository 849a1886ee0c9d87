/**
 * /invoices, with an optional `externalRef` to look up before create. Deviations: `Idempotency-Key` documented but ignored on create, a list `total`
 * that leaves out credited invoices, one detail response cut off mid-body, and the record
 * oddities generated in data/invoices.ts.
 */
import { invoiceTotals, productLine, type Invoice, type InvoiceLine } from '../data/invoices.js';
import { kidNumber } from '../data/norway.js';
import { productPrice } from '../data/products.js';
import { createRandom, deriveSeed, randomUuid } from '../prng.js';
import { json, problem, type ApiResponse } from '../respond.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxState } from '../state.js';
import { findCustomer } from './customers.js';
import { FieldReader, isCalendarDate } from './fields.js';
import { listResponse } from './list.js';
import { findProduct } from './products.js';

export const invoiceRoutes: Route[] = [
  { method: 'GET', path: '/invoices', kind: 'list', scope: 'erp.read', handle: listInvoices },
  { method: 'POST', path: '/invoices', kind: 'create', scope: 'erp.write', handle: createInvoice },
  { method: 'GET', path: '/invoices/{invoiceId}', kind: 'detail', scope: 'erp.read', handle: getInvoice },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function listInvoices(request: ApiRequest, state: SandboxState): ApiResponse {
  // The vendor's count query filters out credited invoices; the page itself does not.
  const total = (items: readonly Invoice[]): number => items.filter((invoice) => invoice.status !== 'credited').length;
  // `externalRef` lets a connector look an invoice up before (re)creating it: exact match.
  const externalRef = request.query.get('externalRef');
  const invoices = externalRef === null ? state.data.invoices : state.data.invoices.filter((invoice) => invoice.externalRef === externalRef);
  return listResponse(request, state, '/invoices', invoices, { total });
}

function getInvoice(request: ApiRequest, state: SandboxState): ApiResponse {
  const id = request.params['invoiceId'] ?? '';
  if (!UUID.test(id)) return problem(400, 'Bad Request', '`invoiceId` must be a UUID.', [{ field: 'invoiceId', message: 'must be a UUID' }]);
  const invoice = state.data.invoices.find((candidate) => candidate.id === id);
  if (invoice === undefined) return problem(404, 'Not Found', `No invoice with id ${id}.`);
  if (state.data.truncatedInvoiceIds.has(invoice.id)) {
    // A response cut off by the vendor's proxy: declared JSON, not parseable (invalid-body).
    const full = JSON.stringify(invoice);
    return { status: 200, text: full.slice(0, Math.floor(full.length * 0.6)), contentType: 'application/json; charset=utf-8' };
  }
  return json(200, invoice);
}

/** The document promises Idempotency-Key here; the server never looks at it. */
function createInvoice(request: ApiRequest, state: SandboxState): ApiResponse {
  const fields = new FieldReader(request.body ?? {});
  const customerId = fields.number('customerId', { required: true, integer: true, minimum: 1 });
  const customer = customerId === undefined ? undefined : findCustomer(state, String(customerId));
  if (customerId !== undefined && customer === undefined) fields.fail('customerId', 'no such customer');
  const today = new Date(state.settings.clock()).toISOString().slice(0, 10);
  const issueDate = fields.string('issueDate', { pattern: /^\d{4}-\d{2}-\d{2}$/, patternText: 'must be a date (YYYY-MM-DD)' }) ?? today;
  const dueDate = fields.string('dueDate', { required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, patternText: 'must be a date (YYYY-MM-DD)' });
  if (!isCalendarDate(issueDate)) fields.fail('issueDate', 'must be a calendar date');
  if (dueDate !== undefined && !isCalendarDate(dueDate)) fields.fail('dueDate', 'must be a calendar date');
  const lines = fields.objects('lines', { required: true, minItems: 1, maxItems: 100 }, (line) => readLine(line, state));
  const externalRef = fields.string('externalRef', { maxLength: 64 });
  if (externalRef === '') fields.fail('externalRef', 'must not be empty');
  if (fields.errors.length > 0 || customer === undefined || dueDate === undefined || lines === undefined) {
    return problem(400, 'Bad Request', 'The invoice is not valid.', fields.errors);
  }
  state.createCount++;
  const invoiceNumber = Math.max(0, ...state.data.invoices.map((i) => i.invoiceNumber)) + 1;
  const totals = invoiceTotals(lines);
  const invoice: Invoice = {
    id: randomUuid(createRandom(deriveSeed(state.settings.seed, `invoice-create:${state.createCount}`))),
    invoiceNumber,
    customerId: customer.id,
    issueDate,
    dueDate,
    currency: 'NOK',
    amount: totals.amount,
    vatAmount: totals.vatAmount,
    status: 'draft',
    kid: kidNumber(`${customer.id}${invoiceNumber}`),
    lines,
    // Left out, not null, when not given: records without one look exactly as before.
    ...(externalRef === undefined ? {} : { externalRef }),
  };
  state.data.invoices.push(invoice);
  return json(201, invoice, { Location: `${state.baseUrl}/api/v1/invoices/${invoice.id}` });
}

function readLine(line: FieldReader, state: SandboxState): InvoiceLine | undefined {
  const lineType = line.raw('lineType');
  if (lineType === 'text') {
    const text = line.string('text', { required: true, maxLength: 200 });
    return text === undefined ? undefined : { lineType: 'text', text };
  }
  if (lineType !== 'product') return line.fail('lineType', 'must be "product" or "text"');
  const productId = line.number('productId', { required: true, integer: true, minimum: 1 });
  const quantity = line.number('quantity', { required: true, minimum: 0.01 });
  const unitPrice = line.number('unitPrice', { minimum: 0 });
  const product = productId === undefined ? undefined : findProduct(state, String(productId));
  if (productId !== undefined && product === undefined) return line.fail('productId', 'no such product');
  if (product === undefined || quantity === undefined) return undefined;
  return productLine(product, quantity, unitPrice ?? productPrice(product));
}

