import { defineComponent, h, type PropType } from 'vue';
import type { ClusterState, ConnectionState, EndpointState, KeyState, SecretState } from '../../../shared/contract';
import StateTag, { type StateTagType } from './StateTag.vue';

/** A tag component for one kind of state: its colours, and the attributes every such tag carries. */
function stateTagFor<State extends string>(name: string, types: Record<State, StateTagType>, attrs: Record<string, string> = {}) {
  return defineComponent({
    name,
    // A runtime String prop typed as the state union (Vue's PropType cannot narrow a generic directly).
    props: { state: { type: String as unknown as PropType<State>, required: true } },
    setup: (props) => () => h(StateTag, { ...attrs, state: props.state, type: types[props.state] }),
  });
}

export const KeyStateTag = stateTagFor<KeyState>('KeyStateTag', {
  Enabled: 'success',
  Disabled: 'default',
  PendingDeletion: 'error',
  PendingImport: 'warning',
});

export const ClusterStateTag = stateTagFor<ClusterState>(
  'ClusterStateTag',
  { UNINITIALIZED: 'default', INITIALIZED: 'info', ACTIVE: 'success', DEGRADED: 'warning' },
  { class: 'mono', 'data-testid': 'cluster-state' },
);

export const ConnectionStateTag = stateTagFor<ConnectionState>(
  'ConnectionStateTag',
  { CONNECTED: 'success', CONNECTING: 'info', DISCONNECTING: 'warning', DISCONNECTED: 'default', FAILED: 'error' },
  { class: 'mono' },
);

export const SecretStateTag = stateTagFor<SecretState>('SecretStateTag', { Enabled: 'success', PendingDeletion: 'error' });

export const EndpointStateTag = stateTagFor<EndpointState>('EndpointStateTag', { RUNNING: 'success', STOPPED: 'default' }, { class: 'mono', 'data-testid': 'endpoint-state' });
