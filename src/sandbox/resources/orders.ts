/**
 * /orders. Idempotency-Key is honoured here as documented. Deviations: the list body has
 * no `total`, GET /orders/{orderId} never sends the documented X-Request-Id, return orders
 * carry negative quantities, and release 2 adds the status `backordered`.
 */
import { orderTotal, type Order, type OrderItem } from '../data/orders.js';
import { dateTime } from '../data/norway.js';
import { productPrice } from '../data/products.js';
import { json, problem, type ApiResponse } from '../respond.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxState } from '../state.js';
import { findCustomer } from './customers.js';
import { FieldReader } from './fields.js';
import { listResponse, numericId } from './list.js';
import { findProduct } from './products.js';

export const orderRoutes: Route[] = [
  { method: 'GET', path: '/orders', kind: 'list', scope: 'erp.read', handle: listOrders },
  { method: 'POST', path: '/orders', kind: 'create', scope: 'erp.write', handle: createOrderIdempotently },
  { method: 'GET', path: '/orders/{orderId}', kind: 'detail', scope: 'erp.read', handle: getOrder, omitRequestId: true },
];

function listOrders(request: ApiRequest, state: SandboxState): ApiResponse {
  return listResponse(request, state, '/orders', state.data.orders, { total: () => undefined });
}

function getOrder(request: ApiRequest, state: SandboxState): ApiResponse {
  const id = numericId(request.params['orderId']);
  const order = id === undefined ? undefined : state.data.orders.find((candidate) => candidate.id === id);
  if (order === undefined) return problem(404, 'Not Found', `No order with id ${JSON.stringify(request.params['orderId'] ?? '')}.`);
  return json(200, order);
}

/**
 * Same Idempotency-Key and same body → the first response again, nothing created. Same key
 * with a different body → 422, as the document says.
 */
function createOrderIdempotently(request: ApiRequest, state: SandboxState): ApiResponse {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return createOrder(request, state);
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    return problem(400, 'Bad Request', 'Idempotency-Key must be 1 to 255 characters.', [{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
  }
  const fingerprint = JSON.stringify(request.body ?? {});
  const replay = state.orderReplays.get(key);
  if (replay !== undefined) {
    if (replay.fingerprint !== fingerprint) {
      return problem(422, 'Unprocessable Entity', 'This Idempotency-Key was already used with a different request body.');
    }
    return { status: replay.status, json: replay.body, headers: replay.headers };
  }
  const response = createOrder(request, state);
  // Only a completed create is remembered; a 400 can be corrected and retried with the key.
  if (response.status === 201) state.orderReplays.set(key, { fingerprint, status: response.status, body: response.json, headers: response.headers ?? {} });
  return response;
}

function createOrder(request: ApiRequest, state: SandboxState): ApiResponse {
  const fields = new FieldReader(request.body ?? {});
  const customerId = fields.number('customerId', { required: true, integer: true, minimum: 1 });
  const customer = customerId === undefined ? undefined : findCustomer(state, String(customerId));
  if (customerId !== undefined && customer === undefined) fields.fail('customerId', 'no such customer');
  const items = fields.objects('items', { required: true, minItems: 1, maxItems: 100 }, (item) => readItem(item, state));
  if (fields.errors.length > 0 || customer === undefined || items === undefined) {
    return problem(400, 'Bad Request', 'The order is not valid.', fields.errors);
  }
  const id = Math.max(0, ...state.data.orders.map((o) => o.id)) + 1;
  const now = state.settings.clock();
  const order: Order = {
    id,
    orderNumber: `SO-${new Date(now).getUTCFullYear()}-${String(state.data.orders.length + 1).padStart(4, '0')}`,
    customerId: customer.id,
    orderDate: dateTime(now),
    status: 'pending',
    currency: 'NOK',
    totalAmount: orderTotal(items),
    items,
  };
  state.data.orders.push(order);
  return json(201, order, { Location: `${state.baseUrl}/api/v1/orders/${order.id}` });
}

function readItem(item: FieldReader, state: SandboxState): OrderItem | undefined {
  const productId = item.number('productId', { required: true, integer: true, minimum: 1 });
  const quantity = item.number('quantity', { required: true, integer: true, minimum: 1 });
  const unitPrice = item.number('unitPrice', { minimum: 0 });
  const product = productId === undefined ? undefined : findProduct(state, String(productId));
  if (productId !== undefined && product === undefined) return item.fail('productId', 'no such product');
  if (product === undefined || quantity === undefined) return undefined;
  return { productId: product.id, quantity, unitPrice: unitPrice ?? productPrice(product) };
}
