/**
 * The state of a form's request to the server: whether it is under way (to disable the submit button
 * meanwhile) and how it last failed (to show that failure in the form).
 */
export class Submission {
  pending = $state(false);
  /** The last failure, cleared when the form is sent again. */
  failure = $state<unknown>(null);

  /**
   * Clears the last failure, then, unless `valid` says the form cannot be sent as it is, runs
   * `action` with `pending` set. A failure goes to `onError`, by default kept in `failure`.
   */
  async run(action: () => Promise<unknown>, options: { valid?: () => boolean; onError?: (error: unknown) => unknown } = {}): Promise<void> {
    this.failure = null;
    if (options.valid && !options.valid()) return;
    this.pending = true;
    try {
      await action();
    } catch (error) {
      if (options.onError) options.onError(error);
      else this.failure = error;
    } finally {
      this.pending = false;
    }
  }
}
