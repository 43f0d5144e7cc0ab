/**
 * The workspace's records over REST (`/api/workspace/{collection}`): partners, agreements, mobility
 * flows and targets, read, created, updated and deleted through the workspace document, so that
 * open pages update at once and the workspace kind's rules judge each change as they judge the same
 * person's change in a browser. Access is the sync endpoint's rule for the workspace document
 * (members; never a partner guest).
 */
import express, { type Request } from 'express';
import { z } from 'zod';
import {
  REST_RECORD_COLLECTIONS,
  ValidationError,
  WORKSPACE_DOC,
  WorkspaceDoc,
  translate,
  type MessageKey,
  type RecordCollection,
  type RestRecordCollection,
} from '@passerelle/shared';
import { ApiError, requestLocale } from '../http/errors.js';
import { editAs, grantOn, type RestSync } from './document-access.js';

export interface RecordsRouterOptions {
  sync: RestSync;
}

/** The workspace document's collection behind each path segment. */
const COLLECTION_OF: Record<RestRecordCollection, (workspace: WorkspaceDoc) => RecordCollection<z.ZodType<object>>> = {
  partners: (workspace) => workspace.partners as unknown as RecordCollection<z.ZodType<object>>,
  agreements: (workspace) => workspace.agreements as unknown as RecordCollection<z.ZodType<object>>,
  'mobility-flows': (workspace) => workspace.mobilities as unknown as RecordCollection<z.ZodType<object>>,
  'mobility-targets': (workspace) => workspace.targets as unknown as RecordCollection<z.ZodType<object>>,
};

/** A `ValidationError` of the shared model (catalog keys as messages) as a 400 in the caller's language. */
function invalid(request: Request, error: ValidationError): ApiError {
  const locale = requestLocale(request);
  return new ApiError('invalid_request', error.issues.map((issue) => ({ path: issue.path, message: issue.message.startsWith('validation.') ? translate(locale, issue.message as MessageKey) : issue.message })));
}

/** A JSON object body, or a 400 (a record is never made of anything else). */
function objectBody(request: Request): Record<string, unknown> {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('invalid_request', [{ path: '', message: 'expected an object' }]);
  const { id: _id, ...fields } = body as Record<string, unknown>;
  return fields;
}

/** Workspace records over REST, under `/api`. */
export function createRecordsRouter(options: RecordsRouterOptions): express.Router {
  const { sync } = options;
  const router = express.Router();
  const recordIdOf = (request: Request) => String(request.params.recordId);
  const read = <T>(use: (workspace: WorkspaceDoc) => T) => sync.readDocument(WORKSPACE_DOC, (doc) => use(new WorkspaceDoc(doc)));
  // One route per collection, so that each is one path of the OpenAPI document.
  for (const collection of Object.keys(REST_RECORD_COLLECTIONS) as RestRecordCollection[]) {

    router.get(`/workspace/${collection}`, async (request, response) => {
      await grantOn(sync, request, WORKSPACE_DOC, false);
      response.json({ records: await read((workspace) => COLLECTION_OF[collection](workspace).list()) });
    });

    router.get(`/workspace/${collection}/:recordId`, async (request, response) => {
      await grantOn(sync, request, WORKSPACE_DOC, false);
      const record = await read((workspace) => COLLECTION_OF[collection](workspace).get(recordIdOf(request)));
      if (!record) throw new ApiError('not_found');
      response.json(record);
    });

    router.post(`/workspace/${collection}`, async (request, response) => {
      const grant = await grantOn(sync, request, WORKSPACE_DOC, true);
      const fields = objectBody(request);
      const { result } = await editAs(sync, grant, (doc) => {
        try {
          return { id: COLLECTION_OF[collection](new WorkspaceDoc(doc)).create(fields) };
        } catch (error) {
          if (error instanceof ValidationError) return { error: invalid(request, error) };
          throw error;
        }
      });
      if ('error' in result) throw result.error;
      // Read back: the workspace's rules may have put back what this person may not change.
      const record = await read((workspace) => COLLECTION_OF[collection](workspace).get(result.id));
      if (!record) throw new ApiError('forbidden');
      response.status(201).json(record);
    });

    router.patch(`/workspace/${collection}/:recordId`, async (request, response) => {
      const grant = await grantOn(sync, request, WORKSPACE_DOC, true);
      const recordId = recordIdOf(request);
      const patch = objectBody(request);
      const { result } = await editAs(sync, grant, (doc) => {
        const records = COLLECTION_OF[collection](new WorkspaceDoc(doc));
        if (!records.get(recordId)) return { error: new ApiError('not_found') };
        try {
          records.update(recordId, patch);
          return { ok: true as const };
        } catch (error) {
          if (error instanceof ValidationError) return { error: invalid(request, error) };
          throw error;
        }
      });
      if ('error' in result) throw result.error;
      response.json(await read((workspace) => COLLECTION_OF[collection](workspace).get(recordId)));
    });

    router.delete(`/workspace/${collection}/:recordId`, async (request, response) => {
      const grant = await grantOn(sync, request, WORKSPACE_DOC, true);
      const recordId = recordIdOf(request);
      const { result: deleted } = await editAs(sync, grant, (doc) => {
        const records = COLLECTION_OF[collection](new WorkspaceDoc(doc));
        if (!records.has(recordId)) return false;
        records.delete(recordId);
        return true;
      });
      if (!deleted) throw new ApiError('not_found');
      response.status(204).end();
    });
  }

  return router;
}
