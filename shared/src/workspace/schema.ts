/**
 * The workspace document: the school's reference data that every board links to, synced live like
 * a board (at `/sync/workspace`). Partners, agreements, mobility flows and targets, and settings.
 *
 * Layout (schema version 2; version 2 gave agreements' cooperation conditions the EWP v7 terms):
 *   meta:       Y.Map { schemaVersion: number }
 *   partners:   Y.Map<id, Y.Map of `Partner` fields>
 *   agreements: Y.Map<id, Y.Map of `Agreement` fields>
 *   mobilities: Y.Map<id, Y.Map of `MobilityFlow` fields>
 *   targets:    Y.Map<id, Y.Map of `MobilityTarget` fields>
 *   settings:   Y.Map of `WorkspaceSettings` fields
 *   templates:  Y.Map<templateId, `StoredTemplate`> (the workspace's proposal templates, `WorkspaceTemplates`):
 *               a root map older versions ignore and no data moves into, hence no new schema version
 */
import type * as Y from 'yjs';
import { RecordCollection, validate } from '../domain/collection.js';
import { checkDoubleDegreePlan, type DoubleDegreeCheck } from '../domain/double-degree.js';
import { Agreement, MobilityFlow, MobilityTarget, Partner, WorkspaceSettings } from '../domain/records.js';

/** The name under which the workspace document is stored and synced. */
export const WORKSPACE_DOC = 'workspace';

export const WORKSPACE_SCHEMA_VERSION = 2;

export class WorkspaceDoc {
  readonly doc: Y.Doc;
  readonly meta: Y.Map<unknown>;
  readonly partners: RecordCollection<typeof Partner>;
  readonly agreements: RecordCollection<typeof Agreement>;
  readonly mobilities: RecordCollection<typeof MobilityFlow>;
  readonly targets: RecordCollection<typeof MobilityTarget>;
  readonly settingsMap: Y.Map<unknown>;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.meta = doc.getMap('meta');
    this.partners = new RecordCollection(doc.getMap('partners') as Y.Map<Y.Map<unknown>>, Partner);
    this.agreements = new RecordCollection(doc.getMap('agreements') as Y.Map<Y.Map<unknown>>, Agreement);
    this.mobilities = new RecordCollection(doc.getMap('mobilities') as Y.Map<Y.Map<unknown>>, MobilityFlow);
    this.targets = new RecordCollection(doc.getMap('targets') as Y.Map<Y.Map<unknown>>, MobilityTarget);
    this.settingsMap = doc.getMap('settings');
  }

  get schemaVersion(): number {
    const version = this.meta.get('schemaVersion');
    return typeof version === 'number' ? version : 0;
  }

  /** The settings, with defaults for anything unset or invalid. */
  get settings(): WorkspaceSettings {
    const parsed = WorkspaceSettings.safeParse(this.settingsMap.toJSON());
    return parsed.success ? parsed.data : WorkspaceSettings.parse({});
  }

  updateSettings(patch: Partial<WorkspaceSettings>): void {
    const next = validate(WorkspaceSettings, { ...this.settings, ...patch });
    this.doc.transact(() => {
      for (const key of Object.keys(patch) as (keyof WorkspaceSettings)[]) this.settingsMap.set(key, next[key]);
    });
  }

  /** The agreements with a partner. */
  agreementsOf(partnerId: string) {
    return this.agreements.list().filter((agreement) => agreement.partnerId === partnerId);
  }

  /** Checks a double-degree agreement's plan against the workspace's CTI rule; null when it has no plan. */
  checkAgreementPlan(agreementId: string): DoubleDegreeCheck | null {
    const agreement = this.agreements.get(agreementId);
    if (!agreement?.doubleDegreePlan) return null;
    return checkDoubleDegreePlan(agreement.doubleDegreePlan, { minSemestersInFrance: this.settings.minSemestersInFrance });
  }
}
