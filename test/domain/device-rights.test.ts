import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertRight, decodeRights, encodeRights, parseRights, rightNeeded } from '../../src/domain/device-rights';
import { AppError } from '../../src/lib/errors';

const needed = suite('deviceRights.rightNeeded');

needed('each device API request needs the right its path and method name, and the device\'s own endpoints need none', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['GET', '/reference/accounts', 'reference'],
    ['GET', '/xero/api.xro/2.0/Accounts', 'accounting.read'],
    ['GET', '/xero/payroll.xro/1.0/Employees', 'payroll.read'],
    ['PUT', '/xero/api.xro/2.0/Contacts', 'write'],
    ['POST', '/xero/payroll.xro/1.0/Timesheets', 'write'],
    ['DELETE', '/xero/api.xro/2.0/Items/1', 'write'],
    ['get', '/xero/payroll.xro/1.0/Employees', 'payroll.read'],
    ['POST', '/invoices', undefined],
    ['POST', '/payments', undefined],
    ['POST', '/pos/shifts', undefined],
    ['POST', '/payroll/timesheets', undefined],
    ['POST', '/payroll/wage-bills', undefined],
    ['GET', '/jobs', undefined],
    ['GET', '/status', undefined],
    ['GET', '/organisation', undefined],
    ['GET', '/referencex', undefined],
  ];
  for (const [method, path, right] of cases) assert.is(rightNeeded(method, path), right, `${method} ${path}`);
});

const parse = suite('deviceRights.parseRights');

parse('names become a set in the canonical order; lists typed with commas or spaces are read too', () => {
  assert.equal(parseRights(['write', 'reference', 'write']), ['reference', 'write']);
  assert.equal(parseRights(['payroll.read,reference accounting.read']), ['reference', 'accounting.read', 'payroll.read']);
  assert.equal(parseRights(['']), []);
});

parse('an unknown right is refused with the list of rights', () => {
  try {
    parseRights(['reference', 'payroll']);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'invalid');
    assert.is((error as AppError).message, "Unknown right 'payroll'; rights are reference, accounting.read, payroll.read, write.");
  }
});

parse('the stored spelling is sorted and space-separated, and reads back to the same set', () => {
  assert.is(encodeRights(['write', 'reference', 'payroll.read', 'accounting.read']), 'accounting.read payroll.read reference write');
  assert.is(encodeRights([]), '');
  assert.equal(decodeRights('accounting.read reference'), ['reference', 'accounting.read']);
  assert.equal(decodeRights(''), []);
});

const check = suite('deviceRights.assertRight');

check('a missing right is refused as forbidden, naming the right and the command that grants it', () => {
  const device = { deviceId: 'TILL-1', rights: ['reference'] as const };
  assertRight({ ...device, rights: [...device.rights] }, 'GET', '/reference/accounts');
  assertRight({ ...device, rights: [] }, 'POST', '/invoices');
  try {
    assertRight({ ...device, rights: [...device.rights] }, 'GET', '/xero/payroll.xro/1.0/Employees');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'forbidden');
    assert.is(
      (error as AppError).message,
      "This device may not read the organisation's payroll data (employees, pay runs, timesheets) through /xero: it lacks the right payroll.read. The administrator can grant it with `xero-proxy device grant TILL-1 payroll.read`.",
    );
  }
});

needed.run();
parse.run();
check.run();
