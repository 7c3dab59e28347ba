import { registerArea } from '..';
import en from '../en/backup';
import zhCN from '../zh-CN/backup';

// Imported for its effect by every component or module that shows a 'backup.' string.
registerArea('backup', en, zhCN);
