import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { responseFormat, sendApiException } from '../http/format';
import { catchQueryError, readListQuery } from '../http/list-query';
import { findOrganisationSettings } from '../organisation-settings';
import type { SandboxOrganisation } from '../organisations';
import { applyQuery } from '../query/apply-query';
import { listDocuments } from '../store/documents';
import { currentOrganisation } from './context';
import { ACCOUNTING_QUERY } from './fields';
import type { DocType, TaxRate, TrackingCategory } from './model';
import { sendDocuments } from './respond';

/**
 * The organisation's settings: `/Organisation` (GET only; POST answers 501 as Xero does),
 * `/Accounts`, `/TaxRates`, `/Items` and `/TrackingCategories`, each with `where` and `order`.
 * @see PROTOCOL.md §4.7
 */
export function referenceRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/Organisation', (c) => {
    const view = organisationView(deps, currentOrganisation(c, deps));
    // Class and Edition are in the OpenAPI file but not in Xero's 2018 XSD, which the XML view keeps to.
    if (responseFormat(c) === 'xml') {
      delete view['Class'];
      delete view['Edition'];
    }
    return sendDocuments(c, deps, 'Organisations', [view]);
  });
  app.on(['POST', 'PUT'], '/Organisation', (c) => sendApiException(c, 501, 20, 'ApiMethodNotImplementedException', 'The Api Method called is not implemented'));

  const list = (collection: string, type: DocType, filter: (c: Context<SandboxEnv>, docs: unknown[]) => unknown[] = (_c, docs) => docs) => (c: Context<SandboxEnv>) => {
    const docs = filter(c, listDocuments<unknown>(deps.db, currentOrganisation(c, deps).id, type));
    // Settings lists are not paged, and tax rates and tracking categories carry no UpdatedDateUTC.
    const { where, order, ifModifiedSince } = readListQuery(c);
    const query = { where, order, ifModifiedSince: type === 'TaxRate' || type === 'TrackingCategory' ? undefined : ifModifiedSince };
    return catchQueryError(c, () => sendDocuments(c, deps, collection, applyQuery(docs, type, query, ACCOUNTING_QUERY)));
  };
  app.get('/Accounts', list('Accounts', 'Account'));
  app.get('/Items', list('Items', 'Item'));
  app.get(
    '/TaxRates',
    list('TaxRates', 'TaxRate', (c, docs) => {
      const taxType = c.req.query('TaxType');
      return taxType ? (docs as TaxRate[]).filter((rate) => rate.TaxType.toLowerCase() === taxType.toLowerCase()) : docs;
    }),
  );
  app.get(
    '/TrackingCategories',
    list('TrackingCategories', 'TrackingCategory', (c, docs) =>
      (c.req.query('includeArchived') ?? '').toLowerCase() === 'true' ? docs : (docs as TrackingCategory[]).filter((category) => category.Status === 'ACTIVE'),
    ),
  );

  return app;
}

/**
 * The `Organisation` element for a sandbox organisation (fields as in Organisation.xsd, plus the
 * OpenAPI file's Class and Edition). Lock dates appear only when set, as Xero shows them.
 */
function organisationView(deps: SandboxDeps, org: SandboxOrganisation): Record<string, unknown> {
  const row = deps.db.prepare('SELECT created_at FROM organisations WHERE id = ?').get(org.id) as { created_at: string } | undefined;
  const settings = findOrganisationSettings(deps.db, org.id);
  const nz = org.countryCode === 'NZ';
  return {
    APIKey: createHash('sha1').update(org.id).digest('hex').slice(0, 30).toUpperCase(),
    Name: org.name,
    LegalName: org.legalName,
    PaysTax: true,
    Version: nz ? 'NZ' : 'AU',
    OrganisationType: 'COMPANY',
    BaseCurrency: org.baseCurrency,
    CountryCode: org.countryCode,
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: nz ? 31 : 30,
    FinancialYearEndMonth: nz ? 3 : 6,
    SalesTaxBasis: nz ? 'INVOICE' : 'ACCRUALS',
    SalesTaxPeriod: nz ? 'TWOMONTHS' : 'QUARTERLY1',
    ...(settings.periodLockDate ? { PeriodLockDate: settings.periodLockDate } : {}),
    ...(settings.endOfYearLockDate ? { EndOfYearLockDate: settings.endOfYearLockDate } : {}),
    ...(row ? { CreatedDateUTC: row.created_at.slice(0, 19) } : {}),
    OrganisationEntityType: 'COMPANY',
    Timezone: org.timezone,
    ShortCode: org.shortCode,
    OrganisationID: org.id,
    Edition: settings.edition,
    Class: settings.class,
    LineOfBusiness: 'Retail',
    Addresses: [],
    Phones: [],
  };
}
