import { registerArea } from '..';
import en from '../en/clusters';
import zhCN from '../zh-CN/clusters';

// Imported for its effect by every component or module that shows a 'clusters.' string.
registerArea('clusters', en, zhCN);
