import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { XeroResponse } from '../../src/domain/xero/http';
import { parseRetryAfter, parseXeroProblem, type XeroProblem } from '../../src/domain/xero/problem';
import { XeroError, xeroProblemError } from '../../src/domain/xero/xero-error';

const FORM = { 'content-type': 'text/html; charset=utf-8' };
const XML = { 'content-type': 'text/xml; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const respond = (status: number, body: string, headers: Record<string, string> = {}): XeroResponse => ({ status, headers, body });

/** Asserts the fields that matter, and that nothing unexpected was set. */
function expectProblem(response: XeroResponse, expected: Partial<XeroProblem> & Pick<XeroProblem, 'kind' | 'retryable' | 'message'>): XeroProblem {
  const problem = parseXeroProblem(response);
  assert.equal(problem, { status: response.status, ...expected });
  return problem;
}

// pyxero tests/mock_data.py `bad_request_text`, recorded from the live API.
const PYXERO_BAD_REQUEST = `<ApiException xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <ErrorNumber>10</ErrorNumber>
  <Type>ValidationException</Type>
  <Message>A validation exception occurred</Message>
  <Elements>
    <DataContractBase xsi:type="Invoice">
      <ValidationErrors>
        <ValidationError>
          <Message>One or more line items must be specified</Message>
        </ValidationError>
        <ValidationError>
          <Message>Invoice not of valid status for creation</Message>
        </ValidationError>
        <ValidationError>
          <Message>A Contact must be specified for this type of transaction</Message>
        </ValidationError>
      </ValidationErrors>
      <Warnings />
      <Date>2013-04-29T00:00:00</Date>
      <BrandingThemeID xsi:nil="true" />
      <Status>PAID</Status>
      <LineItems />
      <Type>ACCREC</Type>
      <InvoiceID>00000000-0000-0000-0000-000000000000</InvoiceID>
      <Reference>Order # 123456</Reference>
    </DataContractBase>
  </Elements>
</ApiException>`;

// pyxero tests/mock_data.py `not_implemented_text` (live): POST /Organisation.
const PYXERO_NOT_IMPLEMENTED = `<ApiException xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <ErrorNumber>20</ErrorNumber>
    <Type>ApiMethodNotImplementedException</Type>
    <Message>The Api Method called is not implemented</Message>
</ApiException>`;

const RATE_LIMIT_BODY = 'oauth_problem=rate%20limit%20exceeded&oauth_problem_advice=please%20wait%20before%20retrying%20the%20xero%20api';

const oauth = suite('xero.parseXeroProblem oauth_problem');

oauth('token_expired (401, form-encoded as text/html, pyxero live) is not retryable as it stands', () => {
  expectProblem(respond(401, 'oauth_problem=token_expired&oauth_problem_advice=The%20access%20token%20has%20expired', FORM), {
    kind: 'token_expired',
    retryable: false,
    oauthProblem: 'token_expired',
    advice: 'The access token has expired',
    message: 'The Xero access token has expired. Xero said: "The access token has expired".',
  });
});

oauth('token_rejected for a superseded token keeps the token itself out of the message', () => {
  const body = 'oauth_problem=token_rejected&oauth_problem_advice=Token%20QWERTYUIOPASDFGHJKLZXCVBNM1234%20does%20not%20match%20an%20expected%20REQUEST%20token';
  const problem = expectProblem(respond(401, body, FORM), {
    kind: 'token_rejected',
    retryable: false,
    oauthProblem: 'token_rejected',
    advice: 'Token [redacted] does not match an expected REQUEST token',
    message: 'Xero rejected the access token: it was revoked, replaced by a newer one, or never authorised. Xero said: "Token [redacted] does not match an expected REQUEST token".',
  });
  assert.not.match(JSON.stringify(problem), 'QWERTYUIOP');
});

oauth('signature_invalid (401) and signature_method_rejected (400, pyxero live) are signature problems', () => {
  expectProblem(respond(401, 'oauth_problem=signature_invalid&oauth_problem_advice=Failed%20to%20validate%20signature', FORM), {
    kind: 'signature',
    retryable: false,
    oauthProblem: 'signature_invalid',
    advice: 'Failed to validate signature',
    message: 'Xero could not verify the request signature. Xero said: "Failed to validate signature".',
  });
  expectProblem(respond(400, 'oauth_problem=signature_method_rejected&oauth_problem_advice=No%20certificates%20have%20been%20registered%20for%20the%20consumer', FORM), {
    kind: 'signature',
    retryable: false,
    oauthProblem: 'signature_method_rejected',
    advice: 'No certificates have been registered for the consumer',
    message: 'Xero could not verify the request signature. Xero said: "No certificates have been registered for the consumer".',
  });
});

oauth('nonce_used is retryable (the next attempt has a new nonce); timestamp_refused is not', () => {
  expectProblem(respond(401, 'oauth_problem=nonce_used&oauth_problem_advice=The%20nonce%20has%20already%20been%20used', FORM), {
    kind: 'nonce_used',
    retryable: true,
    oauthProblem: 'nonce_used',
    advice: 'The nonce has already been used',
    message: 'Xero had already seen this request nonce. Xero said: "The nonce has already been used".',
  });
  expectProblem(respond(401, 'oauth_problem=timestamp_refused&oauth_problem_advice=The%20timestamp%20must%20be%20within%20300%20seconds&oauth_acceptable_timestamps=1-601', FORM), {
    kind: 'timestamp_refused',
    retryable: false,
    oauthProblem: 'timestamp_refused',
    advice: 'The timestamp must be within 300 seconds',
    message: 'Xero refused the request\'s timestamp; this computer\'s clock may be wrong. Xero said: "The timestamp must be within 300 seconds".',
  });
});

oauth('consumer_key_unknown and permission_denied', () => {
  expectProblem(respond(401, 'oauth_problem=consumer_key_unknown&oauth_problem_advice=Consumer%20key%20was%20not%20recognised', FORM), {
    kind: 'consumer_unknown',
    retryable: false,
    oauthProblem: 'consumer_key_unknown',
    advice: 'Consumer key was not recognised',
    message: 'Xero does not recognise the consumer key. Xero said: "Consumer key was not recognised".',
  });
  expectProblem(respond(401, 'oauth_problem=permission_denied', FORM), {
    kind: 'permission_denied',
    retryable: false,
    oauthProblem: 'permission_denied',
    message: 'Xero denied permission for this request.',
  });
});

oauth('an oauth_problem it does not know is unknown and names the code', () => {
  expectProblem(respond(400, 'oauth_problem=parameter_absent&oauth_problem_advice=Missing%20required%20parameter%3A%20oauth_nonce', FORM), {
    kind: 'unknown',
    retryable: false,
    oauthProblem: 'parameter_absent',
    advice: 'Missing required parameter: oauth_nonce',
    message: 'Xero answered with an unexpected error (HTTP 400, parameter_absent). Xero said: "Missing required parameter: oauth_nonce".',
  });
});

oauth.run();

const limits = suite('xero.parseXeroProblem rate limits and outages');

limits('503 with the OAuth 1.0a rate-limit body and no headers assumes a minute window', () => {
  expectProblem(respond(503, RATE_LIMIT_BODY, FORM), {
    kind: 'rate_limited',
    retryable: true,
    retryAfterSeconds: 60,
    oauthProblem: 'rate limit exceeded',
    advice: 'please wait before retrying the xero api',
    message: "Xero's rate limit was exceeded; try again in 60 seconds.",
  });
});

limits('503 with X-Rate-Limit-Problem: Daily leaves the wait to the caller', () => {
  expectProblem(respond(503, RATE_LIMIT_BODY, { ...FORM, 'X-Rate-Limit-Problem': 'Daily' }), {
    kind: 'rate_limited',
    retryable: true,
    rateLimitProblem: 'Daily',
    oauthProblem: 'rate limit exceeded',
    advice: 'please wait before retrying the xero api',
    message: "Xero's daily rate limit was exceeded; try again later.",
  });
});

limits('429 with X-Rate-Limit-Problem and Retry-After (OAuth 2.0 era) uses Retry-After', () => {
  expectProblem(respond(429, '', { 'x-rate-limit-problem': 'minute', 'retry-after': '37' }), {
    kind: 'rate_limited',
    retryable: true,
    retryAfterSeconds: 37,
    rateLimitProblem: 'minute',
    message: "Xero's per-minute rate limit was exceeded; try again in 37 seconds.",
  });
});

limits('any response with X-Rate-Limit-Problem is a rate limit, whatever its status (Xero-Net)', () => {
  assert.is(parseXeroProblem(respond(400, 'Bad Request', { 'X-Rate-Limit-Problem': 'Concurrent' })).kind, 'rate_limited');
  assert.is(parseXeroProblem(respond(400, 'Bad Request', { 'X-Rate-Limit-Problem': 'Concurrent' })).retryAfterSeconds, 1);
});

limits('Retry-After as an HTTP date is measured against the response Date header', () => {
  assert.is(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', 'Wed, 21 Oct 2026 07:28:00 GMT'), 30);
  assert.is(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', undefined), undefined);
  assert.is(parseRetryAfter('soon', undefined), undefined);
});

limits('503 organisation offline (form-encoded) is temporary', () => {
  expectProblem(respond(503, 'oauth_problem=organisation%20offline&oauth_problem_advice=the%20organisation%20is%20temporarily%20offline', FORM), {
    kind: 'organisation_offline',
    retryable: true,
    oauthProblem: 'organisation offline',
    advice: 'the organisation is temporarily offline',
    message: 'The Xero organisation is temporarily offline. Xero said: "the organisation is temporarily offline".',
  });
});

limits('503 maintenance as plain text is unavailable, not a rate limit', () => {
  expectProblem(respond(503, 'The Xero API is currently offline for maintenance', { 'content-type': 'text/plain' }), {
    kind: 'unavailable',
    retryable: true,
    message: 'Xero is temporarily unavailable. Xero said: "The Xero API is currently offline for maintenance".',
  });
  expectProblem(respond(502, ''), { kind: 'unavailable', retryable: true, message: 'Xero is temporarily unavailable.' });
});

limits('500 plain text is a retryable server error; 404 plain text is not_found', () => {
  expectProblem(respond(500, 'An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist.', FORM), {
    kind: 'server_error',
    retryable: true,
    message: 'Xero failed with an internal error. Xero said: "An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist".',
  });
  expectProblem(respond(404, "The resource you're looking for cannot be found", FORM), {
    kind: 'not_found',
    retryable: false,
    message: 'Xero could not find what was asked for. Xero said: "The resource you\'re looking for cannot be found".',
  });
});

limits.run();

const exceptions = suite('xero.parseXeroProblem ApiException');

exceptions('the live XML ValidationException lists each message against its element', () => {
  expectProblem(respond(400, PYXERO_BAD_REQUEST, XML), {
    kind: 'validation',
    retryable: false,
    validationErrors: [
      { message: 'One or more line items must be specified', element: 0 },
      { message: 'Invoice not of valid status for creation', element: 0 },
      { message: 'A Contact must be specified for this type of transaction', element: 0 },
    ],
    message: 'Xero rejected the data as invalid. Element 1: One or more line items must be specified; Invoice not of valid status for creation; A Contact must be specified for this type of transaction.',
  });
});

exceptions('the JSON ValidationException collects nested errors (a Contact inside an Invoice) per element', () => {
  const body = JSON.stringify({
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: [
      { Type: 'ACCREC', Reference: 'ok-ish', ValidationErrors: [] },
      { Type: 'ACCREC', Contact: { Name: '', ValidationErrors: [{ Message: 'The contact name must be specified' }] }, ValidationErrors: [{ Message: 'Account code \'999\' is not a valid code for this document.' }] },
    ],
  });
  expectProblem(respond(400, body, JSON_TYPE), {
    kind: 'validation',
    retryable: false,
    validationErrors: [
      { message: 'The contact name must be specified', element: 1 },
      { message: "Account code '999' is not a valid code for this document.", element: 1 },
    ],
    message: "Xero rejected the data as invalid. Element 2: The contact name must be specified; Account code '999' is not a valid code for this document.",
  });
});

exceptions("Payroll AU's variant lists rejected timesheets under Timesheets, in JSON and XML", () => {
  const json = JSON.stringify({
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Timesheets: [
      { EmployeeID: 'e1', StartDate: '/Date(1767225600000+0000)/', ValidationErrors: [{ Message: 'This timesheet already exists, please provide the timesheet ID' }] },
      { EmployeeID: 'e2', ValidationErrors: [{ Message: 'The employee is not active' }, { Message: 'Each line needs 7 numbers of units' }] },
    ],
  });
  const expected = [
    { message: 'This timesheet already exists, please provide the timesheet ID', element: 0 },
    { message: 'The employee is not active', element: 1 },
    { message: 'Each line needs 7 numbers of units', element: 1 },
  ];
  const message = 'Xero rejected the data as invalid. Element 1: This timesheet already exists, please provide the timesheet ID. Element 2: The employee is not active; Each line needs 7 numbers of units.';
  expectProblem(respond(400, json, JSON_TYPE), { kind: 'validation', retryable: false, validationErrors: expected, message });
  const xml =
    '<ApiException xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type><Message>A validation exception occurred</Message>' +
    '<Timesheets><Timesheet><EmployeeID>e1</EmployeeID><ValidationErrors><ValidationError><Message>This timesheet already exists, please provide the timesheet ID</Message></ValidationError></ValidationErrors></Timesheet>' +
    '<Timesheet><EmployeeID>e2</EmployeeID><TimesheetLines><TimesheetLine><NumberOfUnits><NumberOfUnit>8.00</NumberOfUnit></NumberOfUnits></TimesheetLine></TimesheetLines><ValidationErrors><ValidationError><Message>The employee is not active</Message></ValidationError><ValidationError><Message>Each line needs 7 numbers of units</Message></ValidationError></ValidationErrors></Timesheet></Timesheets></ApiException>';
  expectProblem(respond(400, xml, XML), { kind: 'validation', retryable: false, validationErrors: expected, message });
});

exceptions('a QueryParseException (ErrorNumber 16) is validation with Xero\'s message', () => {
  expectProblem(respond(400, '<ApiException><ErrorNumber>16</ErrorNumber><Type>QueryParseException</Type><Message>Operator \'=\' incompatible with operand types \'String\' and \'Int32\'</Message></ApiException>', XML), {
    kind: 'validation',
    retryable: false,
    message: 'Xero rejected the request as invalid. Xero said: "Operator \'=\' incompatible with operand types \'String\' and \'Int32\'".',
  });
});

exceptions('501 ApiMethodNotImplementedException (pyxero live, labelled text/html) is not_implemented', () => {
  expectProblem(respond(501, PYXERO_NOT_IMPLEMENTED, FORM), {
    kind: 'not_implemented',
    retryable: false,
    message: 'Xero does not support this request. Xero said: "The Api Method called is not implemented".',
  });
});

exceptions('a truncated XML body is read as text rather than failing', () => {
  const problem = parseXeroProblem(respond(400, PYXERO_BAD_REQUEST.slice(0, 400), XML));
  assert.is(problem.kind, 'validation');
  assert.is(problem.validationErrors, undefined);
  assert.match(problem.message, /^Xero rejected the request as invalid\. Xero said: "10 ValidationException A validation exception occurred/);
});

exceptions('a body with a DOCTYPE is never parsed as XML (no entity expansion)', () => {
  const body = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ApiException><Message>&e;</Message></ApiException>';
  const problem = parseXeroProblem(respond(400, body, XML));
  assert.is(problem.kind, 'validation');
  assert.not.match(problem.message, 'root:');
});

exceptions.run();

const modern = suite('xero.parseXeroProblem JSON problems and certificates');

modern('the OAuth 2.0 JSON problem "TokenExpired: …" (pyxero live) is token_expired', () => {
  expectProblem(respond(401, '{"Type":null,"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 01/01/2001 00:00:00"}', JSON_TYPE), {
    kind: 'token_expired',
    retryable: false,
    advice: 'TokenExpired: token expired at 01/01/2001 00:00:00',
    message: 'The Xero access token has expired. Xero said: "TokenExpired: token expired at 01/01/2001 00:00:00".',
  });
});

modern('403 AuthenticationUnsuccessful (lower-case problem JSON) and the Entrust certificate text are permission_denied', () => {
  expectProblem(respond(403, '{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful","instance":"d1a4e6b2"}', JSON_TYPE), {
    kind: 'permission_denied',
    retryable: false,
    advice: 'AuthenticationUnsuccessful',
    message: 'Xero denied permission for this request. Xero said: "AuthenticationUnsuccessful".',
  });
  expectProblem(respond(403, 'The client SSL certificate was not valid.', FORM), {
    kind: 'permission_denied',
    retryable: false,
    message: 'Xero denied permission for this request. Xero said: "The client SSL certificate was not valid".',
  });
});

modern('an HTML error page is reduced to its text', () => {
  const problem = parseXeroProblem(respond(502, '<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' }));
  assert.is(problem.message, 'Xero is temporarily unavailable. Xero said: "502 Bad Gateway 502 Bad Gateway".');
});

modern.run();

const mapping = suite('xero.xeroProblemError');

mapping('a retryable problem becomes unavailable, anything else upstream, with the flag, hint and problem', () => {
  const limited = xeroProblemError(parseXeroProblem(respond(503, RATE_LIMIT_BODY, FORM)));
  assert.instance(limited, XeroError);
  assert.is(limited.code, 'unavailable');
  assert.is(limited.retryable, true);
  assert.is(limited.delivery, 'answered');
  assert.is(limited.message, "Xero's rate limit was exceeded; try again in 60 seconds.");
  assert.is(limited.hint, 'Wait before sending more; the limits are per organisation.');
  assert.is(limited.problem?.kind, 'rate_limited');

  const expired = xeroProblemError(parseXeroProblem(respond(401, 'oauth_problem=token_expired&oauth_problem_advice=The%20access%20token%20has%20expired', FORM)));
  assert.is(expired.code, 'upstream');
  assert.is(expired.retryable, false, 'AppError would default upstream to retryable; the problem decides');
  assert.is(expired.hint, 'A partner app renews the token; a public app must be linked again.');
});

mapping('the raw response rides along but is never serialised', () => {
  const response = respond(500, 'Internal error', { ...FORM, 'set-cookie': 'session=abc123' });
  const error = xeroProblemError(parseXeroProblem(response), response);
  assert.is(error.response, response);
  assert.not.ok(Object.keys(error).includes('response'));
  assert.not.match(JSON.stringify(error), 'session=abc123');
});

mapping.run();
