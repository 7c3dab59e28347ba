import { registerArea } from '..';
import en from '../en/keyDetail';
import zhCN from '../zh-CN/keyDetail';

// Imported for its effect by every component or module that shows a 'keyDetail.' string.
registerArea('keyDetail', en, zhCN);
