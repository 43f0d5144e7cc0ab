import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { shareWhileOffline, type OfflineTabs } from '../../web/src/lib/sync/offline-tabs.js';

/** Lets the channel's messages be delivered. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('shareWhileOffline', () => {
  const open: OfflineTabs[] = [];
  afterEach(() => {
    for (const tabs of open.splice(0)) tabs.close();
  });

  function tab(channel: string, online: { value: boolean }, notHere: unknown[] = []): { doc: Y.Doc; tabs: OfflineTabs } {
    const doc = new Y.Doc();
    const tabs = shareWhileOffline(doc, channel, () => online.value, notHere)!;
    open.push(tabs);
    return { doc, tabs };
  }

  it('gives a change made offline in one tab to the other, and back, without echoing it', async () => {
    const online = { value: false };
    const first = tab('passerelle:a1:board-1', online);
    const second = tab('passerelle:a1:board-1', online);
    const posted: number[] = [];
    const counter = new BroadcastChannel('passerelle:a1:board-1');
    counter.onmessage = (event) => posted.push((event.data as Uint8Array).byteLength);

    first.doc.getMap('cards').set('c1', 'Échange Lisbonne');
    await delivered();
    expect(second.doc.getMap('cards').get('c1')).toBe('Échange Lisbonne');
    second.doc.getMap('cards').set('c2', 'Stage Montréal');
    await delivered();
    expect(first.doc.getMap('cards').toJSON()).toEqual({ c1: 'Échange Lisbonne', c2: 'Stage Montréal' });
    // One message per change: a change applied from another tab is not posted again.
    expect(posted.length).toBe(2);
    counter.close();
  });

  it('posts nothing while connected, nor the server’s or the local copy’s changes', async () => {
    const online = { value: true };
    const server = {};
    const copy = {};
    const first = tab('passerelle:a1:board-2', online, [server, copy]);
    const second = tab('passerelle:a1:board-2', { value: false });
    first.doc.getMap('cards').set('c1', 'sent through the server');
    online.value = false;
    first.doc.transact(() => first.doc.getMap('cards').set('c2', 'from the server'), server);
    first.doc.transact(() => first.doc.getMap('cards').set('c3', 'from the copy'), copy);
    await delivered();
    expect(second.doc.getMap('cards').size).toBe(0);
  });

  it('keeps another member’s tabs (another channel) out', async () => {
    const online = { value: false };
    const mine = tab('passerelle:a1:board-3', online);
    const theirs = tab('passerelle:a2:board-3', online);
    mine.doc.getMap('cards').set('c1', 'mine');
    await delivered();
    expect(theirs.doc.getMap('cards').size).toBe(0);
  });
});
