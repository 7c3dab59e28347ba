import { registerArea } from '..';
import en from '../en/access';
import zhCN from '../zh-CN/access';

// Imported for its effect by every component or module that shows a 'access.' string.
registerArea('access', en, zhCN);
