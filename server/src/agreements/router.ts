/**
 * The workspace's agreements over HTTP, for members: their list, each one's IIA v7 get response
 * (the EWP document a partner's system reads), and a partner's IIA file compared with ours.
 * Reading only: applying a partner's terms is an edit of the workspace document, made in the app.
 */
import express from 'express';
import {
  Agreement,
  IiaCompareRequest,
  WORKSPACE_DOC,
  WorkspaceDoc,
  academicYearOf,
  agreementToIia,
  compareIia,
  iiaToAgreementPatch,
  translate,
  type AgreementListResponse,
  type Iia,
  type IiaCompareResponse,
  type Locale,
  type MessageKey,
  type Stored,
} from '@passerelle/shared';
import { ApiError, requestLocale } from '../http/errors.js';
import { requireMember } from '../http/guards.js';
import { iiasGetResponse, readIia } from './iia-xml.js';
import { agreementToPdf, type AgreementPdfContent } from './pdf-export.js';
import { childrenNamed, readXml, XmlReadError } from './xml-tree.js';

export interface AgreementRouterOptions {
  /** Reads the live workspace document (loading it when no one has it open). */
  readWorkspace<T>(read: (workspace: WorkspaceDoc) => T): Promise<T>;
  /** Today, for the academic year written where an agreement gives none. */
  now?: () => Date;
}

/** The agreement, our IIA of it, and the context both need; null when there is no such agreement. */
function ourIia(workspace: WorkspaceDoc, agreementId: string, now: Date): { agreement: Stored<Agreement>; iia: Iia } | null {
  const agreement = workspace.agreements.get(agreementId);
  if (!agreement) return null;
  const partner = agreement.partnerId ? workspace.partners.get(agreement.partnerId) : undefined;
  const iia = agreementToIia(agreement, { agreementId, settings: workspace.settings, partner, fallbackYear: academicYearOf(now) });
  return { agreement, iia };
}

/** A bad file as a 400 naming what is wrong, in the person's language. */
function badFile(locale: Locale, key: MessageKey, params?: Record<string, string | number>): ApiError {
  return new ApiError('invalid_request', [{ path: 'xml', message: translate(locale, key, params) }]);
}

/** Reads a partner's file into the IIA about this agreement: the one naming our id of it or theirs, else the only one. */
function theirIia(source: string, locale: Locale, ids: { ours: string; theirs: string | null }): Iia {
  let root;
  try {
    root = readXml(source);
  } catch (error) {
    if (!(error instanceof XmlReadError)) throw error;
    throw error.reason === 'malformed' ? badFile(locale, 'ewp.import.malformed', { line: error.line ?? '?' }) : badFile(locale, `ewp.import.${error.reason}`);
  }
  if (root.name !== 'iias-get-response') throw badFile(locale, 'ewp.import.notIia', { root: root.name });
  const iias = childrenNamed(root, 'iia').map(readIia);
  if (iias.length === 0) throw badFile(locale, 'ewp.import.noIia');
  const named = iias.filter((iia) => iia.partners.some((partner) => partner.iiaId === ids.ours || (ids.theirs !== null && partner.iiaId === ids.theirs)));
  if (named.length === 1) return named[0]!;
  if (iias.length === 1) return iias[0]!;
  throw badFile(locale, 'ewp.import.severalIias', { count: iias.length });
}

export function createAgreementRouter(options: AgreementRouterOptions): express.Router {
  const router = express.Router();
  const now = options.now ?? (() => new Date());

  router.get('/agreements', requireMember, async (_request, response) => {
    const body: AgreementListResponse = {
      agreements: await options.readWorkspace((workspace) =>
        workspace.agreements
          .list()
          .map((agreement) => {
            const partner = agreement.partnerId ? workspace.partners.get(agreement.partnerId) : undefined;
            return {
              id: agreement.id,
              title: agreement.title,
              partner: partner ? { id: agreement.partnerId!, name: partner.name } : null,
              type: agreement.type,
              status: agreement.status,
              fromYear: agreement.fromYear,
              toYear: agreement.toYear,
              approval: agreement.approval,
            };
          })
          .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id)),
      ),
    };
    response.json(body);
  });

  router.get('/agreements/:agreementId/iia.xml', requireMember, async (request, response) => {
    const agreementId = String(request.params.agreementId);
    const found = await options.readWorkspace((workspace) => ourIia(workspace, agreementId, now()));
    if (!found) throw new ApiError('not_found');
    response.type('application/xml').send(iiasGetResponse([found.iia]));
  });

  router.get('/agreements/:agreementId/agreement.pdf', requireMember, async (request, response) => {
    const locale = requestLocale(request);
    const lang = request.query.lang ?? locale;
    if (lang !== 'fr' && lang !== 'en') throw new ApiError('invalid_request', [{ path: 'lang', message: translate(locale, 'ewp.pdf.badLanguage') }]);
    const agreementId = String(request.params.agreementId);
    const content = await options.readWorkspace((workspace): AgreementPdfContent | null => {
      const found = ourIia(workspace, agreementId, now());
      if (!found) return null;
      const { agreement, iia } = found;
      const partner = agreement.partnerId ? workspace.partners.get(agreement.partnerId) : undefined;
      const { settings } = workspace;
      return {
        language: lang,
        title: agreement.title,
        fromYear: agreement.fromYear,
        toYear: agreement.toYear,
        iia,
        ours: {
          name: settings.institutionName || settings.institutionSchac || '—',
          erasmusCode: settings.institutionErasmusCode,
          heiId: settings.institutionSchac ?? '',
          unit: agreement.ourSide.ounitId,
          contacts: agreement.ourSide.contacts,
          signing: agreement.ourSide.signingPerson,
          signingDate: agreement.ourSide.signingDate,
        },
        partner: {
          name: partner?.name ?? '—',
          erasmusCode: partner?.erasmusCode ?? null,
          heiId: partner?.schac ?? '',
          unit: agreement.partnerSide.ounitId,
          contacts: agreement.partnerSide.contacts,
          signing: agreement.partnerSide.signingPerson,
          signingDate: agreement.partnerSide.signingDate,
        },
      };
    });
    if (!content) throw new ApiError('not_found');
    const pdf = await agreementToPdf(content);
    const name = `agreement-${agreementId}-${lang}.pdf`;
    response.type('application/pdf').setHeader('content-disposition', `attachment; filename="${name}"`);
    response.send(pdf);
  });

  router.post('/agreements/:agreementId/iia-compare', requireMember, async (request, response) => {
    const locale = requestLocale(request);
    const agreementId = String(request.params.agreementId);
    const parsed = IiaCompareRequest.safeParse(request.body ?? {});
    if (!parsed.success) throw badFile(locale, parsed.error.issues[0]?.message === 'ewp.import.tooLarge' ? 'ewp.import.tooLarge' : 'ewp.import.empty');
    const found = await options.readWorkspace((workspace) => {
      const ours = ourIia(workspace, agreementId, now());
      return ours && { ...ours, heiId: workspace.settings.institutionSchac ?? '' };
    });
    if (!found) throw new ApiError('not_found');
    const theirs = theirIia(parsed.data.xml, locale, { ours: agreementId, theirs: found.agreement.partnerSide.iiaId });
    const patch = iiaToAgreementPatch(theirs, { agreementId, heiId: found.heiId });
    // The partner's terms must make a valid agreement of ours before anyone may apply them.
    const checked = Agreement.safeParse({ ...found.agreement, ...patch });
    if (!checked.success) {
      throw new ApiError(
        'invalid_request',
        checked.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: translate(locale, 'ewp.import.badValue', { field: issue.path.join('.'), problem: translate(locale, issue.message as MessageKey) }),
        })),
      );
    }
    const { partnerSide, conditions, terminatedAsAWhole, fromYear, toYear } = checked.data;
    const body: IiaCompareResponse = { ours: found.iia, theirs, rows: compareIia(found.iia, theirs), patch: { partnerSide, conditions, terminatedAsAWhole, fromYear, toYear } };
    response.json(body);
  });

  return router;
}


