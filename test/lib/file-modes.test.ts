import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openToOthers } from '../../src/lib/file-modes';

const modes = suite('lib.file-modes');

modes('on Linux and macOS a file any group or other user may read or write is open to others', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    assert.not.ok(openToOthers(0o100600, platform));
    assert.not.ok(openToOthers(0o40700, platform));
    assert.ok(openToOthers(0o100640, platform));
    assert.ok(openToOthers(0o100602, platform));
    assert.ok(openToOthers(0o40755, platform));
  }
});

modes('on Windows the mode Node reports for every file (0o666) is not held against it: access lists decide there', () => {
  assert.not.ok(openToOthers(0o100666, 'win32'));
  assert.not.ok(openToOthers(0o100444, 'win32'));
});

modes.run();
