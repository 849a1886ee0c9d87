/** The whole /api/v1 route table, in matching order. */
import type { Route } from '../router.js';
import { customerRoutes } from './customers.js';
import { internalRoutes } from './internal.js';
import { invoiceRoutes } from './invoices.js';
import { orderRoutes } from './orders.js';
import { productRoutes } from './products.js';

export const API_ROUTES: readonly Route[] = [...customerRoutes, ...productRoutes, ...invoiceRoutes, ...orderRoutes, ...internalRoutes];
