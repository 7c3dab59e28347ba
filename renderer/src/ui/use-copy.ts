import { useMessage } from 'naive-ui';

/** Copies a value to the clipboard and says so (or says how to copy by hand where there is no clipboard). */
export function useCopy(): (value: string, label: string) => Promise<void> {
  const message = useMessage();
  return async (value, label) => {
    try {
      await navigator.clipboard.writeText(value);
      message.success(`${label} copied`);
    } catch {
      message.warning('The clipboard is not available here: select the text and copy it by hand.');
    }
  };
}
