/** Where a code location's definitions come from: a TypeScript/JavaScript file or an installed module. */
export type CodeOrigin = { readonly file: string } | { readonly module: string };
