// conf imports the JSON Schema 2020 dialect of ajv and semver for schemas and migrations, which
// mcp-setup never uses; leaving them out of the bundle keeps sign-in's startup lighter.
const unused = (what) => () => {
  throw new Error(`${what} is not bundled: mcp-setup uses conf without schemas or migrations.`);
};
export class Ajv2020 {
  constructor() {
    unused('ajv/dist/2020')();
  }
}
export default { eq: unused('semver'), clean: unused('semver'), satisfies: unused('semver'), lte: unused('semver'), gt: unused('semver') };
