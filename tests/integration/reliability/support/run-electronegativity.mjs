// Runs the Electronegativity scanner through its library entry: its CLI entry needs an undeclared,
// older `commander` than the one npm hoists here. Usage: node run-electronegativity.mjs <dir> <report.csv> <electron version>
import run from '@doyensec/electronegativity/dist/runner.js';

const [input, output, electronVersion] = process.argv.slice(2);
run(
  {
    input,
    output,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
).then(
  // No process.exit on success: the report is written asynchronously after run() resolves.
  () => undefined,
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exitCode = 1;
  },
);
