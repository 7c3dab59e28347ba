import { ref, shallowRef, type Ref } from 'vue';

/** A list's create-or-edit dialog: `edit(row)` opens it on that row, `edit(null)` on a new one. */
export function useRowDialog<Row>() {
  const row = shallowRef(null) as Ref<Row | null>;
  const open = ref(false);
  function edit(next: Row | null): void {
    row.value = next;
    open.value = true;
  }
  return { row, open, edit };
}
