import type { ParamMatcher } from '@sveltejs/kit';
import { isId } from '@passerelle/shared';

/** `[boardId=id]`: only strings shaped like an identifier reach the board page. */
export const match: ParamMatcher = (param) => isId(param);
