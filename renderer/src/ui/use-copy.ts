import { useMessage } from 'naive-ui';
import { t } from '../i18n';

/** Copies a value to the clipboard and says so (or says how to copy by hand where there is no clipboard). */
export function useCopy(): (value: string, label: string) => Promise<void> {
  const message = useMessage();
  return async (value, label) => {
    try {
      await navigator.clipboard.writeText(value);
      message.success(t('common.copiedLabel', { label }));
    } catch {
      message.warning(t('common.clipboardUnavailable'));
    }
  };
}
