/** This tool's version, written into every manifest. */
export const TOOL_VERSION = '0.1.0';
