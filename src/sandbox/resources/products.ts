/**
 * /products. Deviations: 409 on a duplicate SKU (undocumented-status), the category tree in
 * a vendor media type (undocumented-content-type), the undocumented `warehouseCode`, null
 * descriptions, an over-long name, and the documented DELETE that does not exist.
 */
import { CATEGORIES, categoryExists, productRecord, type Product } from '../data/products.js';
import { json, problem, type ApiResponse } from '../respond.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxState } from '../state.js';
import { FieldReader } from './fields.js';
import { listResponse, numericId } from './list.js';

// DELETE /products/{productId} is documented but deliberately absent (never-observed).
export const productRoutes: Route[] = [
  { method: 'GET', path: '/products', kind: 'list', scope: 'erp.read', handle: listProducts },
  { method: 'POST', path: '/products', kind: 'create', scope: 'erp.write', handle: createProduct },
  { method: 'GET', path: '/products/categories', kind: 'other', scope: 'erp.read', handle: listCategories },
  { method: 'GET', path: '/products/{productId}', kind: 'detail', scope: 'erp.read', handle: getProduct },
];

/** The documented type is application/json; the server labels it with its own media type. */
export const CATEGORY_MEDIA_TYPE = 'application/vnd.acme.v1+json';

function listProducts(request: ApiRequest, state: SandboxState): ApiResponse {
  return listResponse(request, state, '/products', state.data.products);
}

function getProduct(request: ApiRequest, state: SandboxState): ApiResponse {
  const product = findProduct(state, request.params['productId']);
  if (product === undefined) return problem(404, 'Not Found', `No product with id ${JSON.stringify(request.params['productId'] ?? '')}.`);
  return json(200, product);
}

function listCategories(): ApiResponse {
  return { status: 200, json: { data: CATEGORIES }, contentType: CATEGORY_MEDIA_TYPE };
}

function createProduct(request: ApiRequest, state: SandboxState): ApiResponse {
  const fields = new FieldReader(request.body ?? {});
  const sku = fields.string('sku', { required: true, maxLength: 32, pattern: /^[A-Z0-9-]+$/, patternText: 'must be upper-case letters, digits and dashes' });
  const name = fields.string('name', { required: true, maxLength: 80 });
  const description = fields.string('description', { maxLength: 500 });
  const price = fields.number('price', { required: true, minimum: 0 });
  const vatRate = fields.number('vatRate', { minimum: 0 }) ?? 25;
  if (![0, 12, 15, 25].includes(vatRate)) fields.fail('vatRate', 'must be one of 0, 12, 15, 25');
  const categoryId = fields.number('categoryId', { integer: true, minimum: 1 }) ?? 12;
  if (!categoryExists(categoryId)) fields.fail('categoryId', 'no such category');
  const stock = fields.number('stock', { integer: true, minimum: 0 }) ?? 0;
  const active = fields.boolean('active') ?? true;
  if (fields.errors.length > 0 || sku === undefined || name === undefined || price === undefined) {
    return problem(400, 'Bad Request', 'The product is not valid.', fields.errors);
  }
  if (state.data.products.some((product) => product.sku === sku)) {
    // Not in the document, which lists 201/400/401/403/429: undocumented-status.
    return problem(409, 'Conflict', `A product with SKU ${sku} already exists.`);
  }
  const product = productRecord(state.settings.release, {
    id: Math.max(0, ...state.data.products.map((p) => p.id)) + 1,
    sku,
    name,
    description,
    price,
    vatRate,
    categoryId,
    stock,
    active,
    warehouseCode: 'OSL-A1',
  });
  state.data.products.push(product);
  return json(201, product, { Location: `${state.baseUrl}/api/v1/products/${product.id}` });
}

export function findProduct(state: SandboxState, idText: string | undefined): Product | undefined {
  const id = numericId(idText);
  return id === undefined ? undefined : state.data.products.find((product) => product.id === id);
}
