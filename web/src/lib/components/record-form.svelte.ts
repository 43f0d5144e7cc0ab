/**
 * What every workspace record form (partner, agreement, mobility flow and target) does the same way:
 * the draft is checked live against the record's shared schema, each field's problem is shown as its
 * catalog message, and nothing is written until the whole record is valid. Saving then creates the
 * record, or updates the one being edited, in one change; should the model still refuse it
 * (`ValidationError`), its messages become the form's error.
 */
import { ValidationError, type WorkspaceDoc, type WorkspaceRecordKind } from '@passerelle/shared';
import { mayChangeRecord } from '#lib/record-rights.svelte.js';
import { handleError } from '#lib/errors.js';
import { t } from '#lib/i18n.svelte.js';
import { offerRecordUndo } from '#lib/record-undo-offer.js';
import { workspace } from '#lib/workspace.svelte.js';
import { issuesByPath, validationMessage } from './WorkspaceFormat.js';

/** A schema's `safeParse` result, as far as a form reads it. */
export type ParsedRecord<R> =
  | { success: true; data: R }
  | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };

/** The workspace's records of one type, as a form writes them. */
export interface WritableRecords<R> {
  create(record: R): unknown;
  update(id: string, record: R): void;
}

export interface RecordFormOptions<R> {
  /** The kind of record, for who may change it and its history. */
  kind: WorkspaceRecordKind;
  /** The draft parsed with the record's schema; read again whenever the draft changes. */
  parse: () => ParsedRecord<R>;
  /** Where the record is written. */
  records: (workspace: WorkspaceDoc) => WritableRecords<R>;
  /** The record being edited; null for a new one. The form reads it when it saves. */
  id: () => string | null;
  /** Called once the record is written. */
  onsaved: () => void;
}

export class RecordForm<R> {
  /** True once the person has tried to save: every field's problem shows from then on. */
  attempted = $state(false);
  /** The fields the person has typed in, by path (`name`, `contacts.0.email`). */
  touched = $state<Record<string, boolean>>({});
  /** The form's own error, under its fields. */
  error = $state('');

  readonly parsed: ParsedRecord<R> = $derived.by(() => this.#options.parse());
  /** The first issue of each field, as a catalog key, by path. */
  readonly issues: Record<string, string> = $derived(issuesByPath(this.parsed));

  readonly #options: RecordFormOptions<R>;

  /** The kind of record the form writes. */
  get kind(): WorkspaceRecordKind {
    return this.#options.kind;
  }

  /** The record being edited; null for a new one. */
  get recordId(): string | null {
    return this.#options.id();
  }

  /**
   * True when this person may not change the record as it is (the server would put it back): the
   * form shows it read-only. A draft they could not save (a figure given to another department) is
   * refused at saving instead.
   */
  readonly readOnly: boolean = $derived.by(() => {
    const id = this.#options.id();
    const current = id ? this.#currentRecord(id) : null;
    return !mayChangeRecord(this.#options.kind, current ?? null);
  });

  #currentRecord(id: string): object | undefined {
    void workspace.loaded;
    const records = { partner: workspace.partners, agreement: workspace.agreements, mobility: workspace.mobilities, target: workspace.targets }[this.#options.kind];
    return records.find((record) => record.id === id);
  }

  constructor(options: RecordFormOptions<R>) {
    this.#options = options;
  }

  /** A field's problem, whether or not the person has reached it yet. */
  issue(field: string): string | null {
    const key = this.issues[field];
    return key ? validationMessage(key) : null;
  }

  /** A field's problem, once the person has typed in it or tried to save. */
  problem(field: string): string | null {
    return this.touched[field] || this.attempted ? this.issue(field) : null;
  }

  touch(field: string): void {
    this.touched[field] = true;
  }

  /**
   * What a field checked as it is typed takes (see TextField): its problem once typed in or once
   * saving was tried, its error's test id `field-error-<path>`, and an input handler that marks it typed in.
   */
  checked(field: string): { error: string | null; errorTestId: string; oninput: () => void } {
    return { error: this.problem(field), errorTestId: `field-error-${field}`, oninput: () => this.touch(field) };
  }

  /** The form's submit handler. */
  save = (event: SubmitEvent): void => {
    event.preventDefault();
    this.attempted = true;
    this.error = '';
    const parsed = this.parsed;
    if (!parsed.success) {
      this.error = t('ws.form.fix');
      return;
    }
    const id = this.#options.id();
    if (this.readOnly || !mayChangeRecord(this.#options.kind, parsed.data as object)) {
      this.error = t('records.readOnly.save');
      return;
    }
    if (id) workspace.trackUndo(this.#options.kind, id);
    try {
      if (id) workspace.transact((ws) => this.#options.records(ws).update(id, parsed.data));
      else offerRecordUndo(t('recordUndo.created'), workspace.transactUndoable((ws) => void this.#options.records(ws).create(parsed.data)));
      this.#options.onsaved();
    } catch (error) {
      if (error instanceof ValidationError) this.error = error.issues.map((issue) => validationMessage(issue.message)).join(' ');
      else handleError(error);
    }
  };
}
