import * as fs from 'fs';
import * as path from 'path';

/** The version in the package's package.json (two folders up from both lib/cli and src/cli). @internal */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}
