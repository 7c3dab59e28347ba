import { registerArea } from '..';
import en from '../en/secrets';
import zhCN from '../zh-CN/secrets';

// Imported for its effect by every component or module that shows a 'secrets.' string.
registerArea('secrets', en, zhCN);
