// Worker thread entry when no bundle can be built: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./landing-worker.ts');
