/** The sandbox's in-memory data set: generated once from the seed, then grown by creates. */
import { generateCustomers, type Customer } from './customers.js';
import { generateInvoices, TRUNCATED_INVOICE_POSITION, type Invoice } from './invoices.js';
import { generateOrders, type Order } from './orders.js';
import { generateProducts, type Product } from './products.js';
import type { Release } from './release.js';

export interface Dataset {
  customers: Customer[];
  products: Product[];
  invoices: Invoice[];
  orders: Order[];
  /** Invoices whose detail response is cut off mid-body (invalid-body). */
  truncatedInvoiceIds: Set<string>;
}

export function createDataset(seed: number, release: Release): Dataset {
  const customers = generateCustomers(seed, release);
  const products = generateProducts(seed, release);
  const invoices = generateInvoices(seed, customers, products);
  const orders = generateOrders(seed, release, customers, products);
  const truncated = invoices[TRUNCATED_INVOICE_POSITION];
  return {
    customers,
    products,
    invoices,
    orders,
    truncatedInvoiceIds: new Set(truncated === undefined ? [] : [truncated.id]),
  };
}

export type { Customer, Contact, Address } from './customers.js';
export type { Product, Category } from './products.js';
export type { Invoice, InvoiceLine } from './invoices.js';
export type { Order, OrderItem } from './orders.js';
export type { Release } from './release.js';
