import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { PAYROLL_TYPES } from './model';
import { sendList, sendNotModelled, sendOne, type ListSpec } from './respond';

const EMPLOYEES: ListSpec = { type: PAYROLL_TYPES.employee, collection: 'Employees' };

/**
 * GET /Employees (with where, order, page, If-Modified-Since) and GET /Employees/{EmployeeID}.
 * @see xero-payroll-au.yaml getEmployees, getEmployee
 */
export function employeeRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/Employees', (c) => sendList(c, deps, EMPLOYEES));
  app.get('/Employees/:id', (c) => sendOne(c, deps, EMPLOYEES.type, EMPLOYEES.collection, c.req.param('id')));
  app.post('/Employees', (c) => sendNotModelled(c, 'creating payroll employees'));
  app.post('/Employees/:id', (c) => sendNotModelled(c, 'updating payroll employees'));
  return app;
}
