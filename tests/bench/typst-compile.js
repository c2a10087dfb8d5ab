// Compiles one Typst file to PDF with the npm package
// @myriaddreamin/typst-ts-node-compiler (Typst 0.14 as a Node add-on):
//     node typst-compile.js PACKAGE_DIR IN.typ OUT.pdf
// PACKAGE_DIR is the installed package (tests/bench.sh puts it under
// tests/tmp/peers/).  Exits 1 with Typst's diagnostics on a failed compile.
'use strict';
const fs = require('fs');
const path = require('path');

const [pkg, input, output] = process.argv.slice(2);
if (!output) {
	console.error('usage: node typst-compile.js PACKAGE_DIR IN.typ OUT.pdf');
	process.exit(2);
}
const { NodeCompiler } = require(path.resolve(pkg));
const compiler = NodeCompiler.create({
	workspace: path.dirname(path.resolve(input)),
	fontArgs: [{ fontPaths: ['/usr/share/fonts'] }],
});
const res = compiler.compile({ mainFilePath: path.resolve(input) });
if (res.hasError() || !res.result) {
	res.printDiagnostics();
	process.exit(1);
}
fs.writeFileSync(output, compiler.pdf(res.result));
