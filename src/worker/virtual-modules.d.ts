/** Modules made by the build (scripts/vite/manifest-validator.ts). */
declare module 'virtual:locus-manifest-validator' {
  import type { SchemaCheck } from '../runtime/manifest';
  const validate: SchemaCheck;
  export default validate;
}
