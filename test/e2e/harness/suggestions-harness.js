/**
 * One section's editor as the proposal page makes it (the base extensions and the suggestion ones,
 * bound to the section's French text through a y-websocket connection) with its suggestions bar,
 * for the end-to-end test of suggesting mode. Who it is and what it may do come in the query string.
 */
import { Editor } from '@tiptap/core';
import { mount } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ProposalDoc } from '@passerelle/shared';
import { baseExtensions } from '#lib/editor/base-extensions.js';
import SuggestionsBar from '#lib/editor/SuggestionsBar.svelte';
import { suggestionExtensions } from '#lib/editor/suggestions.js';

const query = new URLSearchParams(location.search);
const doc = new Y.Doc();
const provider = new WebsocketProvider(query.get('sync'), query.get('doc'), doc, { params: { token: query.get('token') } });
provider.once('sync', () => {
  const fragment = new ProposalDoc(doc).text(query.get('section'), 'fr');
  const user = { id: query.get('userId'), name: query.get('name') };
  const suggestOnly = query.get('suggestOnly') === '1';
  const editor = new Editor({
    element: document.getElementById('editor'),
    extensions: [
      ...baseExtensions({ fragment, awareness: provider.awareness, user: { name: user.name, color: '#1d4ed8' }, placeholder: '' }),
      ...suggestionExtensions({ user, suggestOnly }),
    ],
  });
  mount(SuggestionsBar, {
    target: document.getElementById('bar'),
    props: { editor, canSuggest: true, canDecide: query.get('decide') === '1', forceSuggesting: suggestOnly },
  });
  window.harness = { editor };
});
