import { registerArea } from '..';
import en from '../en/ceremonies';
import zhCN from '../zh-CN/ceremonies';

// Imported for its effect by every component or module that shows a 'ceremonies.' string.
registerArea('ceremonies', en, zhCN);
