/**
 * Seeded invoices. Several documented-vs-actual deviations live in the records themselves;
 * each is tied to fixed positions so that every seed shows them.
 */
import { createRandom, deriveSeed, randomUuid, type Random } from '../prng.js';
import type { Customer } from './customers.js';
import { addDays, kidNumber, norwegianDate, roundKroner } from './norway.js';
import { productPrice, type Product } from './products.js';

export interface ProductLine {
  lineType: 'product';
  productId: number;
  description: string;
  quantity: number;
  unitPrice: number;
  vatRate: number;
  lineTotal: number;
}

export interface TextLine {
  lineType: 'text';
  text: string;
}

export type InvoiceLine = ProductLine | TextLine;

export type InvoiceStatus = 'draft' | 'sent' | 'paid' | 'overdue' | 'credited';

export interface Invoice {
  id: string;
  invoiceNumber: number;
  customerId: number;
  issueDate: string;
  dueDate: string;
  currency: 'NOK';
  /** A string ("1234.50") on some records: type-mismatch. */
  amount: number | string;
  vatAmount: number;
  /** `credited` is not in the documented enum: enum-mismatch. */
  status: InvoiceStatus;
  kid: string;
  lines: InvoiceLine[];
  /** The caller's own reference, only on created invoices that were given one. */
  externalRef?: string;
}

export const INVOICE_COUNT = 80;
export const FIRST_INVOICE_NUMBER = 2024001;
/** GET /invoices/{id} of this position returns a truncated JSON body: invalid-body. */
export const TRUNCATED_INVOICE_POSITION = 16;

/** `dueDate` printed as dd.MM.yyyy: format-mismatch, and mixed-formats across records. */
export function hasNorwegianDueDate(position: number): boolean {
  return position % 5 === 1;
}
/** `amount` sent as a string: type-mismatch. */
export function hasStringAmount(position: number): boolean {
  return position % 9 === 5;
}
/** status `credited`, outside the documented enum: enum-mismatch. */
export function isCredited(position: number): boolean {
  return position % 11 === 8;
}

const TEXT_LINES = ['Ref. rammeavtale 2024', 'Levert til varemottak', 'Jf. tilbud nr. 2231', 'Fakturagebyr frafalt'];

export function generateInvoices(seed: number, customers: readonly Customer[], products: readonly Product[]): Invoice[] {
  const random = createRandom(deriveSeed(seed, 'invoices'));
  const invoices: Invoice[] = [];
  for (let position = 0; position < INVOICE_COUNT; position++) {
    const customer = random.pick(customers);
    const issueDate = addDays('2024-01-02', position * 4 + random.int(0, 3));
    const dueDate = addDays(issueDate, random.pick([10, 14, 30]));
    const lines = randomLines(random, products);
    const invoiceNumber = FIRST_INVOICE_NUMBER + position;
    const totals = invoiceTotals(lines);
    const status = isCredited(position) ? 'credited' : random.pick(['draft', 'sent', 'paid', 'paid', 'overdue'] as const);
    invoices.push({
      id: randomUuid(random),
      invoiceNumber,
      customerId: customer.id,
      issueDate,
      dueDate: hasNorwegianDueDate(position) ? norwegianDate(dueDate) : dueDate,
      currency: 'NOK',
      amount: hasStringAmount(position) ? totals.amount.toFixed(2) : totals.amount,
      vatAmount: totals.vatAmount,
      status,
      kid: kidNumber(`${customer.id}${invoiceNumber}`),
      lines,
    });
  }
  return invoices;
}

/** Amount including VAT, and the VAT part, over the product lines. */
export function invoiceTotals(lines: readonly InvoiceLine[]): { amount: number; vatAmount: number } {
  let net = 0;
  let vat = 0;
  for (const line of lines) {
    if (line.lineType !== 'product') continue;
    net += line.lineTotal;
    vat += (line.lineTotal * line.vatRate) / 100;
  }
  return { amount: roundKroner(net + vat), vatAmount: roundKroner(vat) };
}

export function productLine(product: Product, quantity: number, unitPrice = productPrice(product)): ProductLine {
  return {
    lineType: 'product',
    productId: product.id,
    description: product.name,
    quantity,
    unitPrice,
    vatRate: product.vatRate,
    lineTotal: roundKroner(quantity * unitPrice),
  };
}

function randomLines(random: Random, products: readonly Product[]): InvoiceLine[] {
  const lines: InvoiceLine[] = Array.from({ length: random.int(1, 3) }, () =>
    productLine(random.pick(products), random.int(1, 12)),
  );
  if (random.chance(0.3)) lines.push({ lineType: 'text', text: random.pick(TEXT_LINES) });
  return lines;
}
