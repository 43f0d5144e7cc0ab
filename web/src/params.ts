import { defineParams } from '@sveltejs/kit/params';
// The module itself rather than the package's index: SvelteKit validates this file at build time by
// importing it with Node, which runs TypeScript without a bundler's resolution of `.js` specifiers.
import { isId } from '@passerelle/shared/ids';

export const params = defineParams({
  /** `[boardId=id]`: only strings shaped like an identifier reach the board page. */
  id: (param) => (isId(param) ? param : undefined),
});
