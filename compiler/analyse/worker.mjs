// Worker thread entry: loads the TypeScript sources through tsx, then serves analysis requests.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
