// conf imports ajv (the JSON Schema 2020 dialect and ajv-formats) and semver for schemas and
// migrations, which mcp-setup never uses; leaving them out of the bundle keeps sign-in lighter.
const unused = (what) => () => {
  throw new Error(`${what} is not bundled: mcp-setup uses conf without schemas or migrations.`);
};
export class Ajv2020 {
  constructor() {
    unused('ajv/dist/2020')();
  }
}
export default {
  // semver
  eq: unused('semver'),
  clean: unused('semver'),
  satisfies: unused('semver'),
  lte: unused('semver'),
  gt: unused('semver'),
  // ajv-formats (conf reads `ajvFormatsModule.default`)
  default: unused('ajv-formats'),
};
