import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attachmentType, checkAttachmentContent, cleanFileName, parseXeroDocument, refuseIncludeOnline } from '../../src/domain/documents/attachment';
import { AppError } from '../../src/lib/errors';

const names = suite('documents.cleanFileName');

names('keeps what Xero can take and removes folders, control characters, and spaces or dots at either end', () => {
  const cases: Array<[string, string]> = [
    ['referral.pdf', 'referral.pdf'],
    ['Referral letter.pdf ', 'Referral letter.pdf'],
    ['scan.pdf.', 'scan.pdf'],
    ['scan.pdf. .', 'scan.pdf'],
    ['C:\\Scans\\2026\\x-ray.png', 'x-ray.png'],
    ['/home/reception/../etc/receipt.jpg', 'receipt.jpg'],
    ['  .hidden.pdf', 'hidden.pdf'],
    ['line\u0000feed\r\n.pdf', 'linefeed.pdf'],
    ['Zoë Ngata – referral.pdf', 'Zoë Ngata – referral.pdf'],
  ];
  for (const [given, clean] of cases) assert.is(cleanFileName(given), clean, JSON.stringify(given));
});

names('a name longer than 255 characters is cut, keeping its extension; nothing left is refused naming the field', () => {
  const long = cleanFileName(`${'a'.repeat(300)}.pdf`);
  assert.is(long.length, 255);
  assert.ok(long.endsWith('aaa.pdf'));
  for (const empty of ['', '   ', '...', 'folder/', '\u0007']) {
    try {
      cleanFileName(empty);
      assert.unreachable(JSON.stringify(empty));
    } catch (error) {
      assert.instance(error, AppError);
      assert.equal([(error as AppError).code, (error as AppError).field], ['invalid', 'FileName']);
    }
  }
});

const content = suite('documents.checkAttachmentContent');

const refusal = (run: () => void): AppError => {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('not refused');
};

content('each type is known by its first bytes; another type\'s bytes are refused naming Content', () => {
  const files: Record<string, number[]> = {
    'application/pdf': [...Buffer.from('%PDF-1.4')],
    'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
    'image/gif': [...Buffer.from('GIF89a')],
    'image/tiff': [0x49, 0x49, 0x2a, 0x00],
    'image/bmp': [...Buffer.from('BM')],
  };
  for (const [type, bytes] of Object.entries(files)) {
    checkAttachmentContent(type, new Uint8Array([...bytes, 1, 2, 3]));
    for (const [other, otherBytes] of Object.entries(files)) {
      if (other === type) continue;
      const error = refusal(() => checkAttachmentContent(type, new Uint8Array([...otherBytes, 1, 2, 3])));
      assert.equal([error.code, error.field], ['invalid', 'Content'], `${other} bytes as ${type}`);
    }
  }
  assert.equal([refusal(() => checkAttachmentContent('application/pdf', new Uint8Array())).field, refusal(() => checkAttachmentContent('application/pdf', new Uint8Array(10 * 1024 * 1024 + 1))).code], ['Content', 'too_large']);
});

content('declared types are read without parameters or case, image/jpg is image/jpeg, and others are refused naming MimeType', () => {
  assert.is(attachmentType('Application/PDF; charset=binary'), 'application/pdf');
  assert.is(attachmentType('image/jpg'), 'image/jpeg');
  for (const type of ['text/plain', 'application/zip', 'image/svg+xml', '']) assert.is(refusal(() => attachmentType(type)).field, 'MimeType');
});

content('a document in Xero is "<Endpoint>/<GUID>"; IncludeOnline only for sales invoices and credit notes', () => {
  assert.equal(parseXeroDocument('invoices/4074292C-09B3-456D-84E7-ADD864C6C39B'), { endpoint: 'Invoices', id: '4074292c-09b3-456d-84e7-add864c6c39b' });
  for (const bad of ['Invoices', 'Payments/4074292c-09b3-456d-84e7-add864c6c39b', 'Invoices/INV-0001', 'Invoices/4074292c-09b3-456d-84e7-add864c6c39b/x']) assert.is(refusal(() => parseXeroDocument(bad)).field, 'XeroDocument');
  refuseIncludeOnline('Invoices', 'ACCREC');
  refuseIncludeOnline('Invoices', undefined);
  refuseIncludeOnline('CreditNotes', 'ACCRECCREDIT');
  for (const [endpoint, type] of [['Invoices', 'ACCPAY'], ['CreditNotes', 'ACCPAYCREDIT'], ['Contacts', undefined]] as const) assert.is(refusal(() => refuseIncludeOnline(endpoint, type)).field, 'IncludeOnline');
});

names.run();
content.run();
