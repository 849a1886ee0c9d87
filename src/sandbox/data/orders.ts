/** Seeded sales orders. */
import { createRandom, deriveSeed } from '../prng.js';
import type { Customer } from './customers.js';
import { dateTime, roundKroner } from './norway.js';
import { productPrice, type Product } from './products.js';
import type { Release } from './release.js';

export interface OrderItem {
  productId: number;
  /** Negative on return orders, below the documented minimum 1: constraint-violation. */
  quantity: number;
  unitPrice: number;
}

export type OrderStatus = 'pending' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled' | 'backordered';

export interface Order {
  id: number;
  orderNumber: string;
  customerId: number;
  orderDate: string;
  /** Release 2 adds `backordered`, which the document does not list. */
  status: OrderStatus;
  currency: 'NOK';
  totalAmount: number;
  items: OrderItem[];
}

export const ORDER_COUNT = 40;
export const FIRST_ORDER_ID = 70001;

/** Return orders carry a negative quantity on their first item. */
export function isReturnOrder(position: number): boolean {
  return position % 13 === 6;
}
/** Release 2 only: status `backordered`. */
export function isBackordered(position: number, release: Release): boolean {
  return release === 2 && position % 8 === 3;
}

const EPOCH_2024 = Date.parse('2024-01-01T08:00:00Z');

export function generateOrders(seed: number, release: Release, customers: readonly Customer[], products: readonly Product[]): Order[] {
  const random = createRandom(deriveSeed(seed, 'orders'));
  const orders: Order[] = [];
  for (let position = 0; position < ORDER_COUNT; position++) {
    const items = Array.from({ length: random.int(1, 4) }, () => {
      const product = random.pick(products);
      return { productId: product.id, quantity: random.int(1, 20), unitPrice: productPrice(product) };
    });
    const first = items[0];
    if (first !== undefined && isReturnOrder(position)) first.quantity = -random.int(1, 3);
    const status = isBackordered(position, release)
      ? 'backordered'
      : random.pick(['pending', 'confirmed', 'shipped', 'delivered', 'delivered', 'cancelled'] as const);
    orders.push({
      id: FIRST_ORDER_ID + position,
      orderNumber: `SO-2024-${String(position + 1).padStart(4, '0')}`,
      customerId: random.pick(customers).id,
      orderDate: dateTime(EPOCH_2024 + position * 3 * 86_400_000 + random.int(0, 36_000) * 1000),
      status,
      currency: 'NOK',
      totalAmount: orderTotal(items),
      items,
    });
  }
  return orders;
}

export function orderTotal(items: readonly OrderItem[]): number {
  return roundKroner(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0));
}
