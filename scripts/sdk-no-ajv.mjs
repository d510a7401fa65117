// Bundled in place of the MCP SDK's validation/ajv-provider.js. The SDK builds an ajv instance
// (≈ 135 kB with ajv-formats) in every Client and Server just to validate tool output schemas and
// elicitation answers. mcp-setup's clients list tools but never call them (verify, list, doctor
// pass their own no-op validator), and the demo server never elicits: loading ajv only slowed
// every live check. Schemas are accepted as they are.
export class AjvJsonSchemaValidator {
  getValidator() {
    return (input) => ({ valid: true, data: input, errorMessage: undefined });
  }
}
