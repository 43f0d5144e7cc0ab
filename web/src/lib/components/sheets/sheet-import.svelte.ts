/**
 * One spreadsheet import, step by step: the file chosen and read (its headings, where each goes:
 * this person's last choice for that heading, else what the heading suggests), a dry run, then the
 * import applied. Changing the file or the mapping forgets the dry run, so what is applied is
 * always what was last checked.
 */
import type { ImportFileSummary, ImportKind, ImportPlan } from '@passerelle/shared';
import { detailsOf, rememberedMapping, rememberMapping, sheetsApi } from '#lib/sheets.js';
import { errorMessage, handleError } from '#lib/errors.js';

export class SheetImport {
  file = $state<File | null>(null);
  summary = $state<ImportFileSummary | null>(null);
  mapping = $state<Record<string, string | null>>({});
  plan = $state<ImportPlan | null>(null);
  applied = $state<ImportPlan | null>(null);
  /** What went wrong with the last step, each message in the person's language. */
  problems = $state<string[]>([]);
  busy = $state(false);
  readonly #kind: ImportKind;
  readonly #accountId: string;

  constructor(kind: ImportKind, accountId: string) {
    this.#kind = kind;
    this.#accountId = accountId;
  }

  /** Whether the dry run found nothing wrong, so the import may be applied. */
  readonly applicable = $derived(this.plan !== null && this.plan.problems.length === 0 && this.plan.summary.error === 0);

  async choose(file: File | null): Promise<void> {
    this.file = file;
    this.summary = null;
    this.plan = null;
    this.applied = null;
    this.problems = [];
    if (!file) return;
    await this.#step(async () => {
      const summary = await sheetsApi.readFile(this.#kind, file);
      const remembered = rememberedMapping(this.#accountId, this.#kind);
      const known = new Set(summary.columns.map((column) => column.key));
      this.mapping = Object.fromEntries(
        summary.headings.map((heading) => {
          const mine = remembered[heading];
          return [heading, mine === null || (mine !== undefined && known.has(mine)) ? mine : (summary.mapping[heading] ?? null)];
        }),
      );
      this.summary = summary;
    });
  }

  setMapping(heading: string, key: string | null): void {
    this.mapping = { ...this.mapping, [heading]: key };
    this.plan = null;
  }

  async dryRun(): Promise<void> {
    const file = this.file;
    if (!file) return;
    await this.#step(async () => {
      this.plan = await sheetsApi.dryRun(this.#kind, file, this.mapping);
    });
  }

  async apply(): Promise<void> {
    const file = this.file;
    if (!file || !this.applicable) return;
    await this.#step(async () => {
      this.applied = await sheetsApi.apply(this.#kind, file, this.mapping);
      rememberMapping(this.#accountId, this.#kind, this.mapping);
      this.plan = null;
    });
  }

  async #step(run: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.problems = [];
    try {
      await run();
    } catch (error) {
      const details = detailsOf(error);
      // A refused file says why in its details; anything else goes through the app's one handler.
      this.problems = details.length ? details : [handleError(error) || errorMessage(error)];
    } finally {
      this.busy = false;
    }
  }
}
