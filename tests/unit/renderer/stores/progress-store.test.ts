import { describe, expect, it } from 'vitest';
import { useProgressStore } from '../../../../renderer/src/stores/progress';
import { fakeHost } from '../support/fake-host';

describe('the progress store', () => {
  it('keeps the latest event per operation once started, and forgets one on clear', () => {
    const host = fakeHost({});
    const progress = useProgressStore();
    host.progress({ requestId: 'r0', operation: 'CreateKey', fraction: 0.1, message: 'before start' });
    expect(progress.of('CreateKey')).toBeNull();

    progress.start();
    progress.start();
    host.progress({ requestId: 'r1', operation: 'CreateKey', fraction: 0.2, message: 'generating' });
    host.progress({ requestId: 'r1', operation: 'CreateKey', fraction: 0.6, message: 'generating' });
    host.progress({ requestId: 'r2', operation: 'SyncCluster', fraction: 0.5, message: 'replicating' });
    expect(progress.of('CreateKey')?.fraction).toBe(0.6);
    expect(Object.keys(progress.byOperation).sort()).toEqual(['CreateKey', 'SyncCluster']);

    progress.clear('CreateKey');
    expect(progress.of('CreateKey')).toBeNull();
    expect(progress.of('SyncCluster')?.message).toBe('replicating');
    progress.clear('NeverStarted');
    expect(Object.keys(progress.byOperation)).toEqual(['SyncCluster']);
  });
});
