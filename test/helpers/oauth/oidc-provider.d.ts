// oidc-provider ships no type declarations; the test peer uses it loosely.
declare module 'oidc-provider' {
  const Provider: any;
  export const errors: any;
  export default Provider;
}
