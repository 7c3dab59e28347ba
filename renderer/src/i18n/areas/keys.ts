import { registerArea } from '..';
import en from '../en/keys';
import zhCN from '../zh-CN/keys';

// Imported for its effect by every component or module that shows a 'keys.' string.
registerArea('keys', en, zhCN);
