/** Seeded products and the (recursive) product category tree. */
import { createRandom, deriveSeed } from '../prng.js';
import { roundKroner } from './norway.js';
import { CATALOGUE } from './words.js';
import type { Release } from './release.js';

/** The wire form. Release 2 sends `price` as a string ("1499.00"). */
export interface Product {
  id: number;
  sku: string;
  name: string;
  description?: string | null;
  price: number | string;
  currency: 'NOK';
  vatRate: number;
  categoryId: number;
  stock: number;
  active: boolean;
  /** Not in the document: undocumented-property on every product. */
  warehouseCode: string;
}

export interface Category {
  id: number;
  name: string;
  children: Category[];
}

export const PRODUCT_COUNT = 30;
export const FIRST_PRODUCT_ID = 5001;
/** Position whose name exceeds the documented maxLength 80: constraint-violation. */
export const LONG_NAME_POSITION = 12;
/** Every seventh product (from position 2) has `description: null`: unexpected-null. */
export function hasNullDescription(position: number): boolean {
  return position % 7 === 2;
}

const LONG_NAME =
  'Serviceavtale Premium 36 måneder inkludert fem timer fjernsupport per måned og prioritert responstid hele døgnet';

export const CATEGORIES: readonly Category[] = [
  {
    id: 1,
    name: 'Kontor',
    children: [
      { id: 11, name: 'Møbler', children: [] },
      { id: 12, name: 'Rekvisita', children: [] },
    ],
  },
  {
    id: 2,
    name: 'IT',
    children: [
      {
        id: 21,
        name: 'Maskinvare',
        children: [
          { id: 211, name: 'Bærbare PC-er', children: [] },
          { id: 212, name: 'Tilbehør', children: [] },
        ],
      },
      { id: 22, name: 'Programvare', children: [] },
    ],
  },
  {
    id: 3,
    name: 'Tjenester',
    children: [
      { id: 31, name: 'Konsulenttjenester', children: [] },
      { id: 32, name: 'Serviceavtaler', children: [] },
    ],
  },
];

const SKU_PREFIX: Record<number, string> = { 11: 'KON', 12: 'REK', 211: 'PCB', 212: 'TIL', 22: 'PRG', 31: 'KNS', 32: 'SRV' };
const WAREHOUSES = ['OSL-A1', 'OSL-B4', 'BGO-C2', 'TRD-A3'] as const;

export function generateProducts(seed: number, release: Release): Product[] {
  const random = createRandom(deriveSeed(seed, 'products'));
  const entries = random.shuffle(CATALOGUE).slice(0, PRODUCT_COUNT);
  return entries.map((entry, position) => {
    // Prices move ±10 % around the list price and land on whole kroner or 50 øre.
    const price = Math.round(entry.basePrice * (0.9 + random.next() * 0.2) * 2) / 2;
    const service = entry.categoryId === 31 || entry.categoryId === 32 || entry.categoryId === 22;
    return productRecord(release, {
      id: FIRST_PRODUCT_ID + position,
      sku: `${SKU_PREFIX[entry.categoryId] ?? 'GEN'}-${1000 + position * 7 + random.int(0, 6)}`,
      name: position === LONG_NAME_POSITION ? LONG_NAME : entry.name,
      description: hasNullDescription(position) ? null : entry.description,
      price: roundKroner(price),
      vatRate: entry.vatRate,
      categoryId: entry.categoryId,
      stock: service ? 0 : random.int(0, 250),
      active: random.chance(0.93),
      warehouseCode: random.pick(WAREHOUSES),
    });
  });
}

export interface ProductFields {
  id: number;
  sku: string;
  name: string;
  description: string | null | undefined;
  price: number;
  vatRate: number;
  categoryId: number;
  stock: number;
  active: boolean;
  warehouseCode: string;
}

export function productRecord(release: Release, fields: ProductFields): Product {
  return {
    id: fields.id,
    sku: fields.sku,
    name: fields.name,
    ...(fields.description === undefined ? {} : { description: fields.description }),
    price: release === 2 ? fields.price.toFixed(2) : fields.price,
    currency: 'NOK',
    vatRate: fields.vatRate,
    categoryId: fields.categoryId,
    stock: fields.stock,
    active: fields.active,
    warehouseCode: fields.warehouseCode,
  };
}

/** Price as a number whichever release sent it. */
export function productPrice(product: Product): number {
  return typeof product.price === 'number' ? product.price : Number(product.price);
}

export function categoryExists(id: number, categories: readonly Category[] = CATEGORIES): boolean {
  return categories.some((category) => category.id === id || categoryExists(id, category.children));
}
