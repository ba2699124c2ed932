/** The CI output flags: how diagnostics are printed, and the report files CI systems read. */
import { Flags } from '@oclif/core';

export const DIAGNOSTIC_FORMATS = ['text', 'github'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

/** Every command that compiles (and so may print diagnostics). */
export const diagnosticFlags = {
  format: Flags.string({
    description: 'How diagnostics are printed: text (with code frames, on stderr) or github (GitHub Actions workflow commands, one annotation per diagnostic, on stdout; on stderr with --json)',
    options: [...DIAGNOSTIC_FORMATS],
    default: 'text',
    helpGroup: 'CI',
  }),
  sarif: Flags.string({ description: 'Also write the diagnostics to FILE as SARIF 2.1.0 (GitHub code scanning)', helpValue: 'FILE', helpGroup: 'CI' }),
};

/** `etl build` and `etl test`. */
export const junitFlags = {
  junit: Flags.string({ description: 'Write the run\'s results to FILE as JUnit XML: model builds, data tests and unit tests as test cases', helpValue: 'FILE', helpGroup: 'CI' }),
};

export interface DiagnosticFlagValues {
  format?: string;
  sarif?: string;
}
