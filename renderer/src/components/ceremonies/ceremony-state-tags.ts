import { defineComponent, h, type PropType } from 'vue';
import type { CeremonyStepState, CeremonySummary } from '../../lib/ceremonies';
import StateTag, { type StateTagType } from '../StateTag.vue';

/** A monospace state tag coloured by `types`; `data-state` carries the raw value, the caller gives the test id. */
function tagFor<State extends string>(name: string, types: Record<State, StateTagType>) {
  return defineComponent({
    name,
    props: { state: { type: String as unknown as PropType<State>, required: true } },
    setup: (props) => () => h(StateTag, { class: 'mono', state: props.state, type: types[props.state] }),
  });
}

export const CeremonyStateTag = tagFor<CeremonySummary['State']>('CeremonyStateTag', { IN_PROGRESS: 'info', COMPLETED: 'success', ABORTED: 'error' });

export const CeremonyStepStateTag = tagFor<CeremonyStepState>('CeremonyStepStateTag', {
  PENDING: 'default',
  RUNNING: 'warning',
  AWAITING_APPROVAL: 'warning',
  DONE: 'info',
  SIGNED_OFF: 'success',
  FAILED: 'error',
  SKIPPED: 'default',
});
