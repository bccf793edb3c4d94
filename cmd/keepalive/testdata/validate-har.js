// Validates a HAR file against the HAR 1.2 schema with har-validator
// (npm), which has no command line of its own: node validate-har.js FILE.
// Prints "valid" or the schema's errors, and exits 1 on errors.
'use strict';
const fs = require('fs');
const validate = require('har-validator');
const har = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
validate.har(har).then(
  () => console.log('valid'),
  (err) => {
    console.error(JSON.stringify(err.errors || String(err), null, 2));
    process.exit(1);
  });
