/** The sentence that explains missing sign-offs names the stage they are needed to leave. */
import { describe, expect, it } from 'vitest';
import { missingSignOffs, translate } from '@passerelle/shared';

const proposal = { actionType: 'strategic_partnership', selectsStudents: false } as const;

describe('the missing sign-offs sentence', () => {
  it('names the stage being left, in both languages', () => {
    // Moving from the SRI's review to the departmental framing without the SRI's sign-off.
    const [gate] = missingSignOffs(proposal, [], 'departmental_framing');
    expect(gate.gate).toBe('sri_review');
    const sentence = (locale: 'en' | 'fr') => translate(locale, 'gate.missing', { stage: translate(locale, `stage.${gate.gate}`), departments: 'SRI' });
    expect(sentence('en')).toBe('Sign-offs missing to leave “SRI review”: SRI.');
    expect(sentence('fr')).toMatch(/^Visas manquants pour quitter l’étape « .+ » : SRI\.$/);
    expect(sentence('en')).not.toMatch(/before/);
  });
});
